"""Recipe ``bart-tiny``: a tiny BART summarizer (byte-level BPE) whose summary is the first sentence.

Steps: synthetic documents of 2-5 sentences (``summary_data``) -> byte-level BPE merges learned
from the training sentences -> train (teacher forcing, target ``<s> first sentence </s>``, decoder
input starting with ``</s>`` as BART's shift_tokens_right does) -> greedy exact match of the first
sentence on held-out documents whose first sentence never occurs in training -> export the Optimum
layout with both decoder layouts -> re-read tokenizer.json and check it reproduces the training ids
-> model card.
"""

import os
import time

from ..summary_data import DEMO_DOCUMENTS, DocumentFactory, generate_documents, new_rng
from .common import add_marian_shape, add_out_and_seed, add_threads_and_report, finish

NAME = "bart-tiny"
HELP = "tiny BART summarizer (byte-level BPE): the summary is the first sentence; both decoder layouts"
DEFAULT_OUT = "models/tiny/bart-tiny-summarizer"
ONNX_FILES = ("encoder_model.onnx", "decoder_model.onnx", "decoder_with_past_model.onnx",
              "decoder_model_merged.onnx")
WRITTEN_FILES = ("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
                 "special_tokens_map.json", "vocab.json", "merges.txt") + tuple(
    os.path.join("onnx", f) for f in ONNX_FILES)


def add_arguments(p):
    add_out_and_seed(p, DEFAULT_OUT)
    p.add_argument("--vocab-size", type=int, default=1500,
                   help="upper bound: 4 specials + 256 byte characters + learned merges + <mask>")
    add_marian_shape(p, d_model=64, layers=2, heads=4, ffn=256, max_positions=256, max_length=64)
    p.add_argument("--ner-rate", type=float, default=0.4, help="share of sentences from the NER generator")
    p.add_argument("--train-documents", type=int, default=30000)
    p.add_argument("--test-documents", type=int, default=1000)
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=3e-3)
    p.add_argument("--position-init-scale", type=float, default=0.05,
                   help="learned position tables start as the sinusoidal table times this")
    add_threads_and_report(p, "also write a JSON report (metrics, demo outputs, probes, timings) here")


def run(args, log=print):
    import torch

    from ..bart_files import bart_generation_config, write_bart_files
    from ..bpe import ByteLevelBPETokenizer, learn_tokenizer
    from ..onnx_export import describe
    from ..reproducible import file_digests, make_torch_deterministic, write_json, write_text
    from ..seq2seq_export import export_all
    from ..seq2seq_training import train_seq2seq
    from ..tiny_bart import BartShape, TinyBart, greedy_batched
    from ..tiny_bert import plain_dense
    from .roberta_ner_tiny import probe_records

    t0 = time.monotonic()
    make_torch_deterministic(args.seed, threads=args.threads)
    timings = {}

    train_docs = generate_documents(DocumentFactory(new_rng(args.seed, "train"), ner_rate=args.ner_rate),
                                    args.train_documents)
    train_sentences = {s for _doc, _first, sentences in train_docs for s in sentences}
    test_docs = generate_documents(DocumentFactory(new_rng(args.seed, "test"), ner_rate=args.ner_rate),
                                   args.test_documents, exclude=train_sentences)
    log(f"documents: train {len(train_docs)} ({len(train_sentences)} distinct sentences), held-out "
        f"{len(test_docs)} (first sentence never in training)")

    tokenizer = learn_tokenizer(sorted(train_sentences), args.vocab_size)
    log(f"vocabulary: {len(tokenizer.vocab)} tokens ({len(tokenizer.merges)} merges)")

    def enc(text):
        return tokenizer.encode(text).ids

    examples = [(enc(doc), enc(first)) for doc, first, _ in train_docs]
    log(f"training tokens: mean source {sum(len(s) for s, _ in examples) / len(examples):.1f} "
        f"(max {max(len(s) for s, _ in examples)}), mean target {sum(len(t) for _, t in examples) / len(examples):.1f}")

    shape = BartShape(vocab_size=len(tokenizer.vocab), bos_token_id=tokenizer.bos_id, pad_token_id=tokenizer.pad_id,
                      eos_token_id=tokenizer.eos_id, d_model=args.d_model, encoder_layers=args.layers,
                      decoder_layers=args.layers, heads=args.heads, ffn_dim=args.ffn,
                      max_position_embeddings=args.max_positions)
    if max(len(s) for s, _ in examples) > shape.max_position_embeddings:
        raise ValueError("a training document is longer than --max-positions")
    model = TinyBart(shape, sinusoidal_position_init=args.position_init_scale)
    params = sum(p.numel() for p in model.parameters())
    log(f"model: {params} parameters; training {args.steps} steps x {args.batch_size} on {args.threads} thread(s)")
    stats = train_seq2seq(model, examples, new_rng(args.seed, "batches"), args.steps, args.batch_size, args.lr,
                          shape.pad_token_id, shape.decoder_start_token_id, log=log)
    timings["train_seconds"] = round(stats["seconds"], 1)

    # Held-out exact match of the first sentence (greedy, PyTorch, KV cache, BART's forced tokens).
    t1 = time.monotonic()
    outputs = greedy_batched(model, [enc(doc) for doc, _, _ in test_docs], args.max_length)
    hyps = [tokenizer.decode(o) for o in outputs]
    correct = [h == first for h, (_, first, _) in zip(hyps, test_docs)]
    ids_ok = [o[1:] == enc(first) for o, (_, first, _) in zip(outputs, test_docs)]
    with_names = [c for c, (_, first, _) in zip(correct, test_docs) if any(ch.isupper() for ch in first[1:])]
    metrics = {"heldout_documents": len(test_docs), "exact_match": round(sum(correct) / len(correct), 4),
               "exact_match_ids": round(sum(ids_ok) / len(ids_ok), 4),
               "exact_match_first_sentence_with_capitalised_words": round(sum(with_names) / max(1, len(with_names)), 4),
               "first_sentences_with_capitalised_words": len(with_names)}
    errors = [{"document": doc, "reference": first, "output": h} for h, c, (doc, first, _) in
              zip(hyps, correct, test_docs) if not c][:20]
    timings["eval_seconds"] = round(time.monotonic() - t1, 1)
    log(f"held-out exact match {metrics['exact_match']:.4f} ({sum(correct)}/{len(correct)}); first sentences with "
        f"capitalised words {metrics['exact_match_first_sentence_with_capitalised_words']:.4f}")

    demo_ids = greedy_batched(model, [enc(d) for d in DEMO_DOCUMENTS], args.max_length)
    demo = [{"document": d, "source_ids": enc(d), "output_ids": o, "output": tokenizer.decode(o)}
            for d, o in zip(DEMO_DOCUMENTS, demo_ids)]
    for d in demo:
        log(f"demo: {d['document'][:60]}...  ->  {d['output']}")

    # Export.
    out = args.out
    os.makedirs(out, exist_ok=True)
    generation = bart_generation_config(shape, args.max_length)
    write_bart_files(out, shape, tokenizer, model_max_length=args.max_positions, generation=generation)
    example = torch.tensor([enc(DEMO_DOCUMENTS[0]), enc(DEMO_DOCUMENTS[0])], dtype=torch.long)
    with plain_dense():
        protos = export_all(model, os.path.join(out, "onnx"), example)
    graphs = {name: describe(p) for name, p in protos.items()}

    reread = ByteLevelBPETokenizer.from_file(os.path.join(out, "tokenizer.json"))
    for (doc, first, _), (s, t) in zip(train_docs, examples):
        if reread.encode(doc).ids != s or reread.encode(first).ids != t:
            raise RuntimeError(f"tokenizer.json does not reproduce training ids for {doc!r}")

    card = {"shape": shape, "params": params, "args": args, "metrics": metrics, "demo": demo, "graphs": graphs,
            "files": {p: d for p, d in file_digests(out).items() if p in WRITTEN_FILES},
            "vocab": len(tokenizer.vocab), "merges": len(tokenizer.merges), "generation": generation,
            "distinct_sentences": len(train_sentences)}
    write_text(os.path.join(out, "README.md"), _model_card(card))

    digests = finish(out, t0, timings, log, 36, 9)
    log(f"training {timings['train_seconds']}s, total {timings['total_seconds']}s")
    if args.report:
        probes = [r for r in probe_records(reread) if r["kind"] != "pair"]
        write_json(args.report, {
            "recipe": NAME, "seed": args.seed, "metrics": metrics, "demo": demo, "probes": probes,
            "heldout_sample": [{"document": doc, "reference": first, "source_ids": enc(doc), "output_ids": o,
                                "output": h} for (doc, first, _), o, h in list(zip(test_docs, outputs, hyps))[:50]],
            "graphs": graphs, "timings": timings, "loss_history": stats["loss_history"], "files": digests,
            "error_examples": errors,
        })
    return 0


def _model_card(f):
    s, a, m, g = f["shape"], f["args"], f["metrics"], f["generation"]
    sizes = "\n".join(f"| `{p}` | {d['bytes']:,} |" for p, d in sorted(f["files"].items()))
    total = sum(d["bytes"] for d in f["files"].values())

    def io(v):
        return f"`{v['name']}` {v['type'].replace('float', 'float32')} [{', '.join(str(d) for d in v['shape'])}]"

    graph_lines = []
    for name in ("encoder_model", "decoder_model", "decoder_with_past_model", "decoder_model_merged"):
        gr = f["graphs"][name]
        graph_lines.append(f"- `onnx/{name}.onnx`\n  - inputs: {', '.join(io(i) for i in gr['inputs'])}\n"
                           f"  - outputs: {', '.join(io(o) for o in gr['outputs'])}")
    demo_lines = [f"| {d['document']} | {d['output']} | `{' '.join(map(str, d['output_ids']))}` |"
                  for d in f["demo"][:3]]
    return f"""# bart-tiny-summarizer (tiny, synthetic)

A tiny BART (`BartForConditionalGeneration`) summarization model with a byte-level BPE tokenizer,
in the Hugging Face Optimum / transformers.js layout, made by `models/generator/generate_models.py`
for the nlp-streams tests. Its "summary" of a document is the document's first sentence, copied
exactly. It was trained from scratch in a few minutes; it is a test fixture, not a summarizer.

## Files

| file | bytes |
|---|---|
{sizes}

{total / 1e6:.2f} MB in all (without this card). Both decoder layouts are present: the split
`decoder_model.onnx` + `decoder_with_past_model.onnx`, and `decoder_model_merged.onnx` (an ONNX
`If` on `use_cache_branch`, weights stored once in the outer graph). ONNX opset
{f['graphs']['encoder_model']['opset']}, fp32; key/value tensors are [batch, heads, sequence, head_dim].

{chr(10).join(graph_lines)}

## Model

- BART encoder-decoder: d_model {s.d_model}, {s.encoder_layers} encoder + {s.decoder_layers} decoder layers,
  {s.heads} heads (head_dim {s.head_dim}), FFN {s.ffn_dim}, GELU, post-LayerNorm, LayerNorm on the
  embeddings, no embedding scaling, learned positions (one table per side, `max_position_embeddings`
  {s.max_position_embeddings}, {s.max_position_embeddings + 2} rows: BART's offset 2), one embedding matrix
  shared by encoder, decoder and LM head. {f['params']:,} parameters. Both position tables start
  as the sinusoidal table times {a.position_init_scale} (then trained): from two independent random
  tables this tiny model did not learn to line decoder positions up with encoder positions, which
  copying needs, within 2,000 steps (loss still 1.8).
- Tokens as bart-large-cnn has them: `<s>` {s.bos_token_id} (bos), `<pad>` {s.pad_token_id}, `</s>` {s.eos_token_id}
  (eos and `decoder_start_token_id`); `forced_bos_token_id` {s.bos_token_id} (the first generated token is
  `<s>`), `forced_eos_token_id` {s.eos_token_id}.
- `generation_config.json` (and the same fields in `config.json`): greedy, `num_beams` {g['num_beams']},
  `max_length` {g['max_length']} (counting the decoder start token), `min_length` {g['min_length']},
  `no_repeat_ngram_size` {g['no_repeat_ngram_size']}, `length_penalty` {g['length_penalty']},
  `early_stopping` {str(g['early_stopping']).lower()}. No `task_specific_params` and no `prefix`:
  the Python pipeline would apply them over the greedy defaults.

## Tokenizer

`tokenizer.json`: byte-level BPE as BART's: `<s>` 0, `<pad>` 1, `</s>` 2, `<unk>` 3, the 256 byte
characters, {f['merges']} merges learned from the training sentences, `<mask>` last ({f['vocab']} tokens);
no normalizer, `ByteLevel` pre-tokenizer (no prefix space) and decoder, `RobertaProcessing`
(`<s> $A </s>`). `tokenizer_config.json`: `BartTokenizer`, `model_max_length` {a.max_positions},
`clean_up_tokenization_spaces` true (decoded text has " ." -> "." etc. applied, as transformers.js and
the Python tokenizer do with that flag). Any text can be encoded (no unknown tokens).

## Task and data

A document is 2-5 sentences, its summary the first sentence. Sentences: {100 - round(a.ner_rate * 100)}% from
the English side of the `marian-tiny` grammar (capitalised, with a full stop), {round(a.ner_rate * 100)}% from the
`ner-tiny` sentence generator (names with accents and CJK, titles such as "Dr." inside a sentence,
questions and quotes). {a.train_documents:,} training documents ({f['distinct_sentences']:,} distinct sentences);
{a.steps} AdamW steps of batch {a.batch_size}, peak learning rate {a.lr} (linear warm-up and decay), dropout
{s.dropout}, seed {a.seed}, one CPU thread, deterministic kernels.

## Held-out evaluation

{m['heldout_documents']} documents whose first sentence never occurs in training (in any position),
greedy decoding: the decoded output equals the first sentence for {m['exact_match']:.4f} of them (token ids:
{m['exact_match_ids']:.4f}); for the {m['first_sentences_with_capitalised_words']} first sentences with a
capitalised word after the first character (names, mostly from the NER generator):
{m['exact_match_first_sentence_with_capitalised_words']:.4f}.

## Demo (greedy; ids include the decoder start {s.decoder_start_token_id}, the forced `<s>` {s.bos_token_id} and `</s>` {s.eos_token_id})

| document | output | output ids |
|---|---|---|
{chr(10).join(demo_lines)}

## Regenerate

```
{a.regenerate_command}
```

The same command on the same software (Debian python3-torch 1.13, python3-onnx 1.12) rewrites
byte-identical files. Check with transformers.js (see `models/generator/README.md`):

```
node models/generator/verify_bpe_with_transformersjs.mjs --bart-dir {DEFAULT_OUT}
```
"""
