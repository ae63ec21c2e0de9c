"""Recipe ``bench-bert-base-ner``: a BERT-base-sized token-classification model with random
weights, for benchmarks (generated on demand, never committed).

Shape of ``bert-base-cased`` / ``dslim/bert-base-NER``: 12 layers, hidden 768, 12 heads,
FFN 3072, 512 positions, 2 token types, a cased WordPiece vocabulary of 28996 pieces, 9
CoNLL labels. Weights are drawn from the seed (normal, std 0.02, as BERT's initializer);
nothing is trained, so the labels are nonsense, but the compute per token is the real
compute. The vocabulary is the one ``ner-tiny`` learns (same sentences, same seed stream)
plus generated filler pieces (lower-case 2- and 3-letter pieces, word-initial and ``##``)
up to the real size, so English still tokenizes into plausible pieces. Layout as
``ner-tiny``: config.json, tokenizer.json, tokenizer_config.json (model_max_length 512),
special_tokens_map.json, vocab.txt, onnx/model.onnx, README.md.
"""

import itertools
import os
import string
import time
from collections import Counter

from .. import ner_gazetteers as G
from ..ner_data import LABELS, SentenceFactory, generate_sentences, new_rng, training_pools
from ..tokenizer_probes import DEMO_SENTENCES
from ..wordpiece import BertWordPieceTokenizer, learn_wordpiece_vocab
from .common import add_bert_shape, add_out_and_seed, add_threads_and_report, finish

NAME = "bench-bert-base-ner"
HELP = "BERT-base-sized token-classification model with random weights (benchmarks; not committed)"
DEFAULT_OUT = "models/bench/bench-bert-base-ner"
WRITTEN_FILES = ("config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt",
                 os.path.join("onnx", "model.onnx"))
# A 128-piece English text for timing (also written to the report).
TIMING_WORDS = ("The committee met in Berlin on Tuesday to discuss the new agreement between Siemens and the "
                "European Commission , and Angela Weber said that the talks in Brussels went well .").split()


def add_arguments(p):
    add_out_and_seed(p, DEFAULT_OUT)
    p.add_argument("--vocab-size", type=int, default=28996, help="WordPiece vocabulary size (bert-base-cased: 28996)")
    p.add_argument("--base-vocab-size", type=int, default=2000,
                   help="pieces learned from the ner-tiny sentences before the filler pieces")
    add_bert_shape(p, hidden=768, layers=12, heads=12, intermediate=3072, max_length=512)
    p.add_argument("--vocab-sentences", type=int, default=30000, help="sentences the base vocabulary is learned from")
    add_threads_and_report(p, "also write a JSON report (reference logits, timings) here")


def build_vocabulary(seed, base_size, size, vocab_sentences):
    """ner-tiny's learned pieces, then filler pieces in a seeded order, up to ``size``."""
    vocab_factory = SentenceFactory(new_rng(seed, "vocab"), training_pools(), G.TEMPLATES,
                                    G.NO_ENTITY_SENTENCES, filler_rate=0.15)
    texts = [s.text for s in generate_sentences(vocab_factory, vocab_sentences)]
    bootstrap = BertWordPieceTokenizer({t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])})
    counts = Counter()
    for text in texts:
        chars, origin = bootstrap.normalizer.normalize(text)
        for word, _s, _e in bootstrap.pre_tokenizer.split(chars, origin):
            counts[word] += 1
    alphabet = set("".join(counts)) | set(G.EXTRA_ALPHABET)
    tokens = learn_wordpiece_vocab(counts, alphabet, base_size)
    seen = set(tokens)
    letters = string.ascii_lowercase
    candidates = []
    for n in (2, 3):
        for combo in itertools.product(letters, repeat=n):
            s = "".join(combo)
            candidates += [s, "##" + s]
    candidates = [c for c in candidates if c not in seen]
    new_rng(seed, "filler").shuffle(candidates)
    need = size - len(tokens)
    if need > len(candidates):
        raise ValueError(f"vocab_size {size} needs {need} filler pieces, only {len(candidates)} available")
    return tokens + candidates[:need], len(tokens)


def flops_per_token(shape, num_labels, seq_len):
    """Multiply-adds x 2 of one token at sequence length ``seq_len`` (embeddings ignored):
    Q/K/V/output projections, FFN, attention scores and context, classifier."""
    h, f = shape.hidden_size, shape.intermediate_size
    per_layer = 2 * (4 * h * h + 2 * h * f) + 2 * 2 * seq_len * h
    return shape.num_hidden_layers * per_layer + 2 * h * num_labels


def run(args, log=print):
    import torch

    from ..hf_files import token_classification_config, write_bert_tokenizer
    from ..onnx_export import describe, export_onnx, token_classification_axes
    from ..reproducible import make_torch_deterministic, write_json, write_text
    from ..tiny_bert import BertShape, TinyBertForTokenClassification, plain_dense

    t0 = time.monotonic()
    make_torch_deterministic(args.seed, threads=args.threads)
    timings = {}

    tokens, base = build_vocabulary(args.seed, args.base_vocab_size, args.vocab_size, args.vocab_sentences)
    tokenizer = BertWordPieceTokenizer({t: i for i, t in enumerate(tokens)})
    timings["vocab_seconds"] = round(time.monotonic() - t0, 1)
    log(f"vocabulary: {len(tokens)} pieces ({base} learned, {len(tokens) - base} filler)")

    shape = BertShape(vocab_size=len(tokens), hidden_size=args.hidden, num_hidden_layers=args.layers,
                      num_attention_heads=args.heads, intermediate_size=args.intermediate,
                      max_position_embeddings=args.max_length, pad_token_id=tokenizer.vocab["[PAD]"])
    t1 = time.monotonic()
    model = TinyBertForTokenClassification(shape, len(LABELS)).eval()
    params = sum(p.numel() for p in model.parameters())
    timings["init_seconds"] = round(time.monotonic() - t1, 1)
    flops = {n: flops_per_token(shape, len(LABELS), n) for n in (1, 128, 512)}
    log(f"model: {params} parameters (random, seed {args.seed}); "
        f"{flops[128] / 1e6:.1f} MFLOP/token at length 128 ({flops[128] * 128 / 1e9:.2f} GFLOP per 128-token "
        f"sequence), {flops[1] / 1e6:.1f} MFLOP/token without the attention products")

    # Reference logits (PyTorch, the exported computation) for the export check.
    reference = []
    with torch.no_grad():
        for text in DEMO_SENTENCES[:2]:
            enc = tokenizer.encode(text)
            ids = torch.tensor([enc.ids], dtype=torch.long)
            logits = model(ids, torch.ones_like(ids), torch.zeros_like(ids))[0]
            reference.append({"text": text, "ids": enc.ids, "tokens": enc.tokens,
                              "logits": [[round(float(v), 5) for v in row] for row in logits.tolist()]})
    timing_text = " ".join(TIMING_WORDS * 8)
    timing_ids = tokenizer.encode(timing_text).ids
    cut = timing_ids[:128]
    timing_text = tokenizer.decode(cut)  # about 128 pieces when re-encoded

    out = args.out
    os.makedirs(out, exist_ok=True)
    config = token_classification_config("BertForTokenClassification", shape.bert_config_fields(), LABELS)
    config["transformers_version"] = "4.46.3"
    write_json(os.path.join(out, "config.json"), config, sort_keys=True)
    write_bert_tokenizer(out, tokenizer, args.max_length)
    example = tokenizer.encode(DEMO_SENTENCES[0])
    ids = torch.tensor([example.ids, example.ids], dtype=torch.long)
    inputs = {"input_ids": ids, "attention_mask": torch.ones_like(ids), "token_type_ids": torch.zeros_like(ids)}
    t2 = time.monotonic()
    with plain_dense():  # export plain MatMul + Add
        proto = export_onnx(model, inputs, ["logits"], token_classification_axes(list(inputs)),
                            os.path.join(out, "onnx", "model.onnx"))
    timings["export_seconds"] = round(time.monotonic() - t2, 1)
    graph = describe(proto)

    reread = BertWordPieceTokenizer.from_file(os.path.join(out, "tokenizer.json"))
    for r in reference:
        if reread.encode(r["text"]).ids != r["ids"]:
            raise RuntimeError(f"tokenizer.json does not reproduce ids for {r['text']!r}")

    write_text(os.path.join(out, "README.md"), _model_card(args, shape, params, base, flops, graph))
    digests = finish(out, t0, timings, log, 28, 10)
    log(f"vocabulary {timings['vocab_seconds']}s, init {timings['init_seconds']}s, "
        f"export {timings['export_seconds']}s, total {timings['total_seconds']}s")
    if args.report:
        write_json(args.report, {
            "recipe": NAME, "seed": args.seed, "params": params, "labels": LABELS,
            "flops_per_token": flops, "reference": reference,
            "timing_text": timing_text, "timing_text_pieces": len(reread.encode(timing_text).ids),
            "graph": graph, "timings": timings, "files": digests,
        })
    return 0


def _model_card(args, s, params, base, flops, graph):
    def io(v):
        return ", ".join(f"`{x['name']}` {x['type']} {x['shape']}" for x in v)

    return f"""---
license: apache-2.0
tags: [token-classification, benchmark, random-weights]
---

# {NAME} (random weights, benchmark only)

BERT-base token-classification **shape** with **random weights** (seed {args.seed}, normal std
{s.initializer_range}); nothing is trained, the predicted labels are meaningless. Made for
benchmarks: the compute per token is that of `bert-base-cased` / `dslim/bert-base-NER`.
Generated on demand by the nlp-streams model generator; never committed.

| | |
|---|---|
| layers / hidden / heads / FFN | {s.num_hidden_layers} / {s.hidden_size} / {s.num_attention_heads} / {s.intermediate_size} |
| positions / token types | {s.max_position_embeddings} / {s.type_vocab_size} |
| vocabulary | {s.vocab_size} WordPiece pieces ({base} learned from the ner-tiny sentences, the rest filler) |
| labels | {len(LABELS)}: {", ".join(LABELS)} |
| parameters | {params} |
| MFLOP per token | {flops[1] / 1e6:.1f} without attention products; {flops[128] / 1e6:.1f} at length 128; {flops[512] / 1e6:.1f} at length 512 |
| ONNX inputs | {io(graph['inputs'])} |
| ONNX outputs | {io(graph['outputs'])} |
| opset | {graph['opset']} |

Regenerate:

```
{args.regenerate_command}
```
"""
