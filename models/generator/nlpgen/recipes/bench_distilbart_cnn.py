"""Recipe ``bench-distilbart-cnn``: a distilbart-cnn-6-6-sized BART summarizer with random weights,
for benchmarks (generated on demand, never committed).

Shape and config of ``sshleifer/distilbart-cnn-6-6``: 6 encoder + 6 decoder layers, d_model 1024,
16 heads, FFN 4096, GELU, 1024 learned positions (+2, BART's offset), ``vocab_size`` 50264 in
config.json while the tokenizer has 50265 tokens (``<mask>`` 50264 has no embedding, exactly as
in the real CNN checkpoints, so a text containing ``<mask>`` cannot be run), ``prefix`` " " (the
summarization pipelines put a space before every input), ``task_specific_params.summarization``
and generation settings num_beams 4, length_penalty 2.0, min_length 56, max_length 142,
no_repeat_ngram_size 3, early_stopping true, forced bos 0 / eos 2, decoder start 2. Weights are
drawn from the seed (normal, std 0.02); nothing is trained, so summaries are nonsense, but the
compute per token is the real compute. The tokenizer is a byte-level BPE of the real size: merges
learned from the tiny models' synthetic sentences, then generated filler merges (letter pairs,
triples and quadruples, with and without the leading ``Ġ``) up to 50265 tokens. Layout and both
decoder layouts as ``bart-tiny``.
"""

import itertools
import os
import string
import time

from ..summary_data import DEMO_DOCUMENTS, DocumentFactory, generate_documents, new_rng
from .common import add_marian_shape, add_out_and_seed, add_threads_and_report, finish

NAME = "bench-distilbart-cnn"
HELP = "distilbart-cnn-6-6-sized BART summarizer with random weights, both decoder layouts (benchmarks; not committed)"
DEFAULT_OUT = "models/bench/distilbart-cnn-6-6"
TOKENIZER_SIZE = 50265  # the real tokenizer: <s> 0 ... <mask> 50264


def add_arguments(p):
    add_out_and_seed(p, DEFAULT_OUT)
    p.add_argument("--vocab-size", type=int, default=50264,
                   help="config.json vocab_size = embedding rows (distilbart-cnn: 50264, one below the tokenizer)")
    add_marian_shape(p, d_model=1024, layers=6, heads=16, ffn=4096, max_positions=1024, max_length=142)
    p.add_argument("--num-beams", type=int, default=4)
    p.add_argument("--min-length", type=int, default=56)
    p.add_argument("--length-penalty", type=float, default=2.0)
    p.add_argument("--no-repeat-ngram-size", type=int, default=3)
    p.add_argument("--learn-documents", type=int, default=20000,
                   help="synthetic documents the base merges are learned from")
    p.add_argument("--reference-length", type=int, default=16,
                   help="max_length of the greedy reference outputs in the report")
    add_threads_and_report(p, "also write a JSON report (greedy reference ids, timings) here")


def build_tokenizer(seed, learn_documents, size=TOKENIZER_SIZE):
    """Merges learned from synthetic documents, then filler merges in a seeded order (each level
    shuffled, a level's parts made by earlier levels) until the tokenizer has ``size`` tokens."""
    from ..bpe import BYTE_TO_CHAR, SPACE_CHAR, SPECIAL_TOKENS, build_tokenizer as make, byte_words, learn_merges

    docs = generate_documents(DocumentFactory(new_rng(seed, "bench-vocab")), learn_documents)
    fixed = len(SPECIAL_TOKENS) + len(BYTE_TO_CHAR) + 1
    learned = learn_merges(byte_words(d for d, _f, _s in docs), size - fixed)
    have = set(BYTE_TO_CHAR.values()) | {a + b for a, b in learned}
    need = size - fixed - len(have - set(BYTE_TO_CHAR.values()))
    rng = new_rng(seed, "bench-filler")
    lower, letters = string.ascii_lowercase, string.ascii_letters
    levels = [
        [(SPACE_CHAR, x) for x in letters] + [(x, y) for x, y in itertools.product(lower, repeat=2)],
        [(SPACE_CHAR + x, y) for x, y in itertools.product(letters, lower)]
        + [(x + y, z) for x, y, z in itertools.product(lower, repeat=3)],
        [(SPACE_CHAR + x + y, z) for x, y, z in itertools.product(letters, lower, lower)],
        [(x + y + z, w) for x, y, z, w in itertools.product(lower, repeat=4)],
    ]
    fillers = []
    for level in levels:
        rng.shuffle(level)
        for a, b in level:
            if len(fillers) == need:
                break
            if a + b not in have:
                have.add(a + b)
                fillers.append((a, b))
    if len(fillers) != need:
        raise ValueError(f"not enough filler merges for {size} tokens")
    tokenizer = make(learned + fillers)
    assert len(tokenizer.vocab) == size, len(tokenizer.vocab)
    return tokenizer, len(learned)


def decoder_step_flops(shape):
    """Multiply-adds x 2 of one decoder step with the KV cache (attention over the cache not
    counted): self-attention Q/K/V/O, cross-attention Q/O, FFN, LM head."""
    d, f = shape.d_model, shape.ffn_dim
    return shape.decoder_layers * 2 * (6 * d * d + 2 * d * f) + 2 * d * shape.vocab_size


def encoder_flops_per_token(shape):
    d, f = shape.d_model, shape.ffn_dim
    return shape.encoder_layers * 2 * (4 * d * d + 2 * d * f)


def run(args, log=print):
    import torch

    from ..bart_files import bart_generation_config, write_bart_files
    from ..bpe import ByteLevelBPETokenizer
    from ..onnx_export import describe
    from ..reproducible import make_torch_deterministic, write_json, write_text
    from ..seq2seq_export import export_all
    from ..tiny_bart import BartShape, TinyBart
    from ..tiny_bert import plain_dense

    t0 = time.monotonic()
    make_torch_deterministic(args.seed, threads=args.threads)
    timings = {}

    tokenizer, learned = build_tokenizer(args.seed, args.learn_documents)
    timings["vocab_seconds"] = round(time.monotonic() - t0, 1)
    log(f"tokenizer: {len(tokenizer.vocab)} tokens ({learned} learned merges, "
        f"{len(tokenizer.merges) - learned} filler merges); model vocab_size {args.vocab_size}")

    shape = BartShape(vocab_size=args.vocab_size, bos_token_id=tokenizer.bos_id, pad_token_id=tokenizer.pad_id,
                      eos_token_id=tokenizer.eos_id, d_model=args.d_model, encoder_layers=args.layers,
                      decoder_layers=args.layers, heads=args.heads, ffn_dim=args.ffn,
                      max_position_embeddings=args.max_positions)
    t1 = time.monotonic()
    model = TinyBart(shape).eval()
    params = sum(p.numel() for p in model.parameters())
    timings["init_seconds"] = round(time.monotonic() - t1, 1)
    step_flops, enc_flops = decoder_step_flops(shape), encoder_flops_per_token(shape)
    log(f"model: {params} parameters (random, seed {args.seed}); encoder {enc_flops / 1e6:.1f} MFLOP/token, "
        f"decoder step {step_flops / 1e6:.1f} MFLOP/token")

    def enc(text):
        return tokenizer.encode(text).ids

    reference = []
    with torch.no_grad():
        for doc in DEMO_DOCUMENTS[:4]:
            ids = torch.tensor([enc(doc)], dtype=torch.long)
            out_ids = model.greedy(ids, torch.ones_like(ids), shape.decoder_start_token_id, shape.eos_token_id,
                                   args.reference_length, forced_bos_id=shape.bos_token_id)
            reference.append({"source": doc, "source_ids": enc(doc), "output_ids": out_ids[0].tolist()})
    # A document of about 470 tokens for timing: the demo documents four times.
    timing_text = " ".join(DEMO_DOCUMENTS * 4)
    timing_ids = enc(timing_text)

    out = args.out
    os.makedirs(out, exist_ok=True)
    generation = bart_generation_config(shape, args.max_length, num_beams=args.num_beams, min_length=args.min_length,
                                        length_penalty=args.length_penalty,
                                        no_repeat_ngram_size=args.no_repeat_ngram_size, early_stopping=True)
    summarization = {k: generation[k] for k in ("early_stopping", "length_penalty", "max_length", "min_length",
                                                "no_repeat_ngram_size", "num_beams")}
    extra = {"_num_labels": 3, "extra_pos_embeddings": 2, "force_bos_token_to_be_generated": True,
             "gradient_checkpointing": False, "id2label": {str(i): f"LABEL_{i}" for i in range(3)},
             "label2id": {f"LABEL_{i}": i for i in range(3)}, "output_past": True, "prefix": " ", "replacing_rate": 0,
             "student_decoder_layers": args.layers, "student_encoder_layers": args.layers,
             "task_specific_params": {"summarization": summarization}}
    write_bart_files(out, shape, tokenizer, model_max_length=args.max_positions, generation=generation,
                     config_extra=extra)

    example = torch.tensor([enc(DEMO_DOCUMENTS[0]), enc(DEMO_DOCUMENTS[0])], dtype=torch.long)
    t2 = time.monotonic()
    with plain_dense():
        protos = export_all(model, os.path.join(out, "onnx"), example)
    timings["export_seconds"] = round(time.monotonic() - t2, 1)
    graphs = {name: describe(p) for name, p in protos.items()}
    initializer_bytes = {name: sum(len(t.raw_data) for t in p.graph.initializer) for name, p in protos.items()}
    del protos

    reread = ByteLevelBPETokenizer.from_file(os.path.join(out, "tokenizer.json"))
    for r in reference:
        if reread.encode(r["source"]).ids != r["source_ids"]:
            raise RuntimeError(f"tokenizer.json does not reproduce ids for {r['source']!r}")
        r["output"] = reread.decode(r["output_ids"])

    write_text(os.path.join(out, "README.md"), _model_card(args, shape, params, learned, step_flops, enc_flops, graphs))
    digests = finish(out, t0, timings, log, 36, 10)
    log(f"vocabulary {timings['vocab_seconds']}s, init {timings['init_seconds']}s, "
        f"export {timings['export_seconds']}s, total {timings['total_seconds']}s")
    if args.report:
        write_json(args.report, {
            "recipe": NAME, "seed": args.seed, "params": params, "decoder_step_flops": step_flops,
            "encoder_flops_per_token": enc_flops, "reference_length": args.reference_length,
            "reference": reference, "timing_text": timing_text, "timing_text_tokens": len(timing_ids),
            "graphs": graphs, "initializer_bytes": initializer_bytes, "timings": timings, "files": digests,
        })
    return 0


def _model_card(args, s, params, learned, step_flops, enc_flops, graphs):
    def io(v):
        return ", ".join(f"`{x['name']}`" for x in v)

    return f"""---
license: apache-2.0
tags: [summarization, bart, benchmark, random-weights]
---

# {NAME} (random weights, benchmark only)

distilbart-cnn-6-6 **shape and config** with **random weights** (seed {args.seed}, normal std {s.init_std});
nothing is trained, summaries are nonsense. Made for benchmarks: the compute per token is that of
`sshleifer/distilbart-cnn-6-6`. Generated on demand by the nlp-streams model generator; never committed.

| | |
|---|---|
| encoder / decoder layers | {s.encoder_layers} / {s.decoder_layers} |
| d_model / heads / FFN | {s.d_model} / {s.heads} / {s.ffn_dim} (GELU) |
| positions | {s.max_position_embeddings} learned (+2 rows, BART's offset) per side |
| vocabulary | config `vocab_size` {s.vocab_size}; tokenizer {TOKENIZER_SIZE} byte-level BPE tokens ({learned} learned merges, the rest filler); `<mask>` {TOKENIZER_SIZE - 1} has no embedding, as in the real CNN checkpoints |
| parameters | {params} |
| MFLOP per token | encoder {enc_flops / 1e6:.1f}; decoder step {step_flops / 1e6:.1f} (with the KV cache, attention over the cache not counted) |
| generation | num_beams {args.num_beams}, length_penalty {args.length_penalty}, min_length {args.min_length}, max_length {args.max_length}, no_repeat_ngram_size {args.no_repeat_ngram_size}, early_stopping true, forced_bos_token_id {s.bos_token_id}, forced_eos_token_id {s.eos_token_id}, decoder_start_token_id {s.decoder_start_token_id} |
| config extras | `prefix` " " (pipelines prepend a space), `task_specific_params.summarization` (the same generation settings) |
| encoder inputs | {io(graphs['encoder_model']['inputs'])} |
| merged decoder inputs | {io(graphs['decoder_model_merged']['inputs'])} |

Regenerate:

```
{args.regenerate_command}
```
"""
