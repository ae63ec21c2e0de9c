"""Recipe ``marian-tiny``: a tiny Marian (opus-mt style) English -> pseudo-German model.

Steps: word list -> Unigram vocabulary shared by both languages (whole-word pieces,
deliberately split words, single characters) -> synthetic sentence pairs (gender and
case agreement, adjective-noun swap, verb-final subordinate clauses) -> train -> greedy
exact-match accuracy on held-out sentences -> export the Optimum layout with both decoder
layouts (split ``decoder_model`` + ``decoder_with_past_model`` and the merged ``If``
decoder) -> re-read tokenizer.json and check it reproduces the training ids -> model card.
"""

import os
import string
import time

from ..seq2seq_probes import DEMO_SENTENCES, TOKENIZER_PROBES
from ..translation_data import ADJECTIVES, INTRANSITIVE, NOUNS, TRANSITIVE, generate_pairs, new_rng, \
    vocabulary_words, word_list
from ..unigram import METASPACE, UnigramTokenizer
from .common import add_marian_shape, add_out_and_seed, add_threads_and_report, finish

NAME = "marian-tiny"
HELP = "tiny Marian seq2seq model, English -> pseudo-German word-list translation (Unigram, both decoder layouts)"
DEFAULT_OUT = "models/tiny/marian-tiny-en-de"
ONNX_FILES = ("encoder_model.onnx", "decoder_model.onnx", "decoder_with_past_model.onnx",
              "decoder_model_merged.onnx")
WRITTEN_FILES = ("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
                 "special_tokens_map.json") + tuple(os.path.join("onnx", f) for f in ONNX_FILES)
ALPHABET = string.ascii_letters + string.digits + "äöüßÄÖÜéèêàâçñ" + ".,;:!?'\"-()"


def add_arguments(p):
    add_out_and_seed(p, DEFAULT_OUT)
    add_marian_shape(p, d_model=64, layers=2, heads=4, ffn=256, max_positions=256, max_length=64)
    p.add_argument("--train-pairs", type=int, default=40000)
    p.add_argument("--test-pairs", type=int, default=1000)
    p.add_argument("--steps", type=int, default=4000)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=3e-3)
    add_threads_and_report(p, "also write a JSON report (metrics, demo and probe outputs, timings) here")


def build_vocabulary():
    """Specials first as in opus-mt (``</s>`` 0, ``<unk>`` 1), ``<pad>`` last.
    Scores: lone ``▁`` -3.5, word pieces about -4, characters about -9, so the
    segmentation with the fewest pieces wins; small per-piece offsets avoid ties."""
    word_pieces = set()
    for w in vocabulary_words():
        segs = w.split("|")
        word_pieces.add(METASPACE + segs[0])
        word_pieces.update(segs[1:])
    chars = sorted(set(ALPHABET))
    pieces = [("</s>", 0.0), ("<unk>", 0.0), (METASPACE, -3.5)]
    pieces += [(p, round(-4.0 - 0.001 * i, 4)) for i, p in enumerate(sorted(word_pieces))]
    pieces += [(c, round(-9.0 - 0.001 * i, 4)) for i, c in enumerate(chars) if c not in word_pieces]
    pieces.append(("<pad>", 0.0))
    return pieces


def run(args, log=print):
    import torch

    from ..marian_files import write_marian_files
    from ..onnx_export import describe
    from ..reproducible import file_digests, make_torch_deterministic, write_json, write_text
    from ..seq2seq_export import export_all
    from ..seq2seq_training import greedy_batched, train_seq2seq
    from ..tiny_bert import plain_dense
    from ..tiny_marian import MarianShape, TinyMarian

    t0 = time.monotonic()
    make_torch_deterministic(args.seed, threads=args.threads)
    timings = {}

    tokenizer = UnigramTokenizer(build_vocabulary())
    pad, eos = tokenizer.pad_id, tokenizer.eos_id
    log(f"vocabulary: {len(tokenizer.pieces)} pieces, {len(word_list())} word pairs")

    train_pairs = generate_pairs(new_rng(args.seed, "train"), args.train_pairs)
    train_sources = {en for en, _ in train_pairs}
    test_pairs = generate_pairs(new_rng(args.seed, "test"), args.test_pairs, exclude=train_sources, distinct=True)
    log(f"pairs: train {len(train_pairs)} ({len(train_sources)} distinct), held-out {len(test_pairs)} (unseen sources)")

    def enc(text):
        return tokenizer.encode(text).ids

    examples = [(enc(en), enc(de)) for en, de in train_pairs]
    assert not any(tokenizer.unk_id in s or tokenizer.unk_id in t for s, t in examples), "training text not covered"
    multi = sorted({w for w in vocabulary_words() if "|" in w})
    log(f"training tokens: mean source {sum(len(s) for s, _ in examples) / len(examples):.1f}, "
        f"mean target {sum(len(t) for _, t in examples) / len(examples):.1f}; {len(multi)} multi-piece words")

    shape = MarianShape(vocab_size=len(tokenizer.pieces), pad_token_id=pad, eos_token_id=eos, d_model=args.d_model,
                        encoder_layers=args.layers, decoder_layers=args.layers, heads=args.heads, ffn_dim=args.ffn,
                        max_position_embeddings=args.max_positions)
    model = TinyMarian(shape)
    params = sum(p.numel() for p in model.parameters())
    log(f"model: {params} parameters; training {args.steps} steps x {args.batch_size} on {args.threads} thread(s)")
    stats = train_seq2seq(model, examples, new_rng(args.seed, "batches"), args.steps, args.batch_size, args.lr,
                          pad, pad, log=log)
    timings["train_seconds"] = round(stats["seconds"], 1)

    # Held-out exact match (greedy, PyTorch, KV cache).
    t1 = time.monotonic()
    outputs = greedy_batched(model, [enc(en) for en, _ in test_pairs], pad, pad, eos, args.max_length)
    hyps = [tokenizer.decode(o) for o in outputs]
    correct = [h == de for h, (_, de) in zip(hyps, test_pairs)]
    token_ok = [o[1:] == enc(de) for o, (_, de) in zip(outputs, test_pairs)]
    metrics = {"heldout_pairs": len(test_pairs), "exact_match": round(sum(correct) / len(correct), 4),
               "exact_match_ids": round(sum(token_ok) / len(token_ok), 4)}
    subordinate = [c for c, (en, _) in zip(correct, test_pairs) if "," in en]
    metrics["exact_match_with_subordinate_clause"] = round(sum(subordinate) / max(1, len(subordinate)), 4)
    errors = [{"source": en, "reference": de, "output": h} for h, c, (en, de) in zip(hyps, correct, test_pairs)
              if not c][:20]
    timings["eval_seconds"] = round(time.monotonic() - t1, 1)
    log(f"held-out exact match {metrics['exact_match']:.4f} ({sum(correct)}/{len(correct)}), "
        f"with subordinate clause {metrics['exact_match_with_subordinate_clause']:.4f}")

    demo_ids = greedy_batched(model, [enc(s) for s in DEMO_SENTENCES], pad, pad, eos, args.max_length)
    demo = [{"source": s, "source_ids": enc(s), "output_ids": o, "output": tokenizer.decode(o),
             "in_training_data": s in train_sources} for s, o in zip(DEMO_SENTENCES, demo_ids)]
    for d in demo:
        log(f"demo: {d['source']}  ->  {d['output']}")

    # Export.
    out = args.out
    os.makedirs(out, exist_ok=True)
    write_marian_files(out, shape, tokenizer, model_max_length=512, max_length=args.max_length,
                       source_lang="en", target_lang="de")
    example = torch.tensor([enc(DEMO_SENTENCES[1]), enc(DEMO_SENTENCES[1])], dtype=torch.long)
    with plain_dense():
        protos = export_all(model, os.path.join(out, "onnx"), example)
    graphs = {name: describe(p) for name, p in protos.items()}

    reread = UnigramTokenizer.from_file(os.path.join(out, "tokenizer.json"))
    for (en, de), (s, t) in zip(train_pairs, examples):
        if reread.encode(en).ids != s or reread.encode(de).ids != t:
            raise RuntimeError(f"tokenizer.json does not reproduce training ids for {en!r}")
    probes = [{"text": p, "ids": reread.encode(p).ids, "tokens": reread.encode(p).tokens,
               "decoded": reread.decode(reread.encode(p).ids)} for p in TOKENIZER_PROBES]

    card = {"shape": shape, "params": params, "args": args, "metrics": metrics, "demo": demo, "graphs": graphs,
            "files": {p: d for p, d in file_digests(out).items() if p in WRITTEN_FILES},
            "vocab": len(tokenizer.pieces), "multi": multi, "train_distinct": len(train_sources),
            "pad": pad, "eos": eos}
    write_text(os.path.join(out, "README.md"), _model_card(card))

    digests = finish(out, t0, timings, log, 36, 9)
    log(f"training {timings['train_seconds']}s, total {timings['total_seconds']}s")
    if args.report:
        write_json(args.report, {
            "recipe": NAME, "seed": args.seed, "metrics": metrics, "demo": demo, "probes": probes,
            "heldout_sample": [{"source": en, "reference": de, "output_ids": o, "output": h}
                               for (en, de), o, h in list(zip(test_pairs, outputs, hyps))[:50]],
            "graphs": graphs, "timings": timings, "loss_history": stats["loss_history"], "files": digests,
            "error_examples": errors,
        })
    return 0


def _model_card(f):
    s, a, m = f["shape"], f["args"], f["metrics"]
    sizes = "\n".join(f"| `{p}` | {d['bytes']:,} |" for p, d in sorted(f["files"].items()))
    total = sum(d["bytes"] for d in f["files"].values())

    def io(v):
        return f"`{v['name']}` {v['type'].replace('float', 'float32')} [{', '.join(str(d) for d in v['shape'])}]"

    graph_lines = []
    for name in ("encoder_model", "decoder_model", "decoder_with_past_model", "decoder_model_merged"):
        g = f["graphs"][name]
        ins = ", ".join(io(i) for i in g["inputs"])
        outs = ", ".join(io(o) for o in g["outputs"])
        graph_lines.append(f"- `onnx/{name}.onnx`\n  - inputs: {ins}\n  - outputs: {outs}")
    demo_lines = [f"| {d['source']} | {d['output']} | `{' '.join(map(str, d['output_ids']))}` |" for d in f["demo"]]
    pm = ", ".join(w.replace("|", "·") for w in f["multi"])
    return f"""# marian-tiny-en-de (tiny, synthetic)

A tiny Marian (`MarianMTModel`, opus-mt style) translation model in the Hugging Face
Optimum / transformers.js layout, made by `models/generator/generate_models.py` for the
nlp-streams tests. It translates English sentences from a small grammar into a
pseudo-German (real German words, made-up grammar) through a bilingual word list. It was
trained from scratch in a few minutes; it is a test fixture, not a translation model.

## Files

| file | bytes |
|---|---|
{sizes}

{total / 1e6:.2f} MB in all (without this card). Both decoder layouts are present:
the split `decoder_model.onnx` + `decoder_with_past_model.onnx`, and
`decoder_model_merged.onnx`, an ONNX `If` on `use_cache_branch` (then: with past, whose
`present.*.encoder.*` outputs are `Identity` pass-throughs of `past_key_values.*.encoder.*`;
else: no past) whose weights are stored once, in the outer graph. ONNX opset
{f['graphs']['encoder_model']['opset']}, fp32; key/value tensors are [batch, heads, sequence, head_dim].

{chr(10).join(graph_lines)}

## Model

- Marian encoder-decoder: d_model {s.d_model}, {s.encoder_layers} encoder + {s.decoder_layers} decoder layers,
  {s.heads} heads (head_dim {s.head_dim}), FFN {s.ffn_dim}, SiLU ("swish"), post-LayerNorm, sinusoidal
  positions (`max_position_embeddings` {s.max_position_embeddings}), embeddings scaled by sqrt(d_model),
  one embedding matrix shared by encoder, decoder and LM head. {f['params']:,} parameters.
- `config.json`: `model_type` "marian", `decoder_start_token_id` = `pad_token_id` = {f['pad']},
  `eos_token_id` = `forced_eos_token_id` = {f['eos']}, `bad_words_ids` [[{f['pad']}]],
  `share_encoder_decoder_embeddings` true. `generation_config.json`: greedy (`num_beams` 1),
  `max_length` {a.max_length}.

## Tokenizer

`tokenizer.json`: Unigram (SentencePiece style) with one vocabulary of {f['vocab']} pieces shared by
source and target (`separate_vocabs` false): `</s>` 0, `<unk>` 1, `<pad>` {f['pad']} (last, as in
opus-mt); NFKC normalizer, `Metaspace` (`▁`) pre-tokenizer and decoder, post-processor `$A </s>`.
Pieces: the lone `▁`, every word of the word list as one `▁word` piece except the deliberately
split ones ({pm}), and every single character of ASCII letters and digits, German and a few other
accented letters and common punctuation. Anything else (Cyrillic, CJK, emoji, ...) is `<unk>`, one
per run of uncovered characters.

## Task and data

English sentences from a small grammar: subject (determiner, optional adjective, noun), verb
(intransitive, or transitive with an object), optional adverb, optional subordinate clause after
a comma (because / when / that / although), optional final full stop. The word list has
{len(NOUNS)} nouns, {len(ADJECTIVES)} adjectives, {len(INTRANSITIVE)} intransitive and {len(TRANSITIVE)} transitive
verbs, adverbs, conjunctions and 5 determiners ({len(word_list())} word pairs). The pseudo-German side:
determiners agree with the noun's gender, masculine objects take the accusative (der -> den,
ein -> einen), **adjectives follow the noun** ("the big dog" -> "der Hund groß") and **the verb of a
subordinate clause goes to the end** ("..., because the cat sees the dog." -> "..., weil die Katze den
Hund sieht."). {a.train_pairs:,} training pairs ({f['train_distinct']:,} distinct), {a.steps} AdamW steps of batch
{a.batch_size}, peak learning rate {a.lr} (linear warm-up and decay), dropout {s.dropout}, seed {a.seed}, one CPU
thread, deterministic kernels.

## Held-out evaluation

{m['heldout_pairs']} sentences whose source never occurs in training, greedy decoding: exact match of the
whole output {m['exact_match']:.4f} (token ids: {m['exact_match_ids']:.4f}); sentences with a subordinate
clause {m['exact_match_with_subordinate_clause']:.4f}.

## Demo translations (greedy; ids include the decoder start token {f['pad']} and `</s>` {f['eos']})

| source | output | output ids |
|---|---|---|
{chr(10).join(demo_lines)}

## Regenerate

```
{a.regenerate_command}
```

The same command on the same software (Debian python3-torch 1.13, python3-onnx 1.12) rewrites
byte-identical files. Check with transformers.js (see `models/generator/README.md`):

```
node models/generator/verify_seq2seq_with_transformersjs.mjs --model-dir {DEFAULT_OUT}
```
"""
