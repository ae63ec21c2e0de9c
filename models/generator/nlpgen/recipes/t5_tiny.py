"""Recipe ``t5-tiny``: a tiny T5 (t5-small style) for two prefixed tasks.

Steps: word list -> Unigram vocabulary (``<pad>`` 0, ``</s>`` 1, ``<unk>`` 2, word pieces,
single characters, ``<extra_id_N>`` at the end as in t5-small) -> a mix of two tasks, each
marked by t5-small's prefix: "translate English to German: " + English -> pseudo-German (the
word-list translation of ``translation_data``) and "summarize: " + 2 to 4 sentences -> the
first sentence -> train -> greedy exact match on held-out examples of each task -> export
the Optimum layout with both decoder layouts -> re-read tokenizer.json and check it
reproduces the training ids -> model card.
"""

import os
import time

from ..seq2seq_probes import DEMO_SENTENCES, TOKENIZER_PROBES
from ..translation_data import generate_pairs, new_rng, vocabulary_words
from ..unigram import UnigramTokenizer, word_list_pieces
from .common import add_out_and_seed, add_threads_and_report, finish
from .marian_tiny import ALPHABET, ONNX_FILES

NAME = "t5-tiny"
HELP = ("tiny T5 seq2seq model: 'translate English to German: ' and 'summarize: ' prefixed tasks "
        "(Unigram, both decoder layouts)")
DEFAULT_OUT = "models/tiny/t5-tiny"
WRITTEN_FILES = ("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
                 "special_tokens_map.json") + tuple(os.path.join("onnx", f) for f in ONNX_FILES)
TRANSLATE_PREFIX = "translate English to German: "
SUMMARIZE_PREFIX = "summarize: "
PREFIX_WORDS = ("translate", "English", "to", "German", "summarize")
TRANSFORMERS_VERSION = "4.46.3"

# Summarization demo documents (not generated, so they read as intended).
DEMO_DOCUMENTS = [
    "the dog runs. my old cat sleeps today.",
    "the teacher sees a red butterfly. the king paints a sunflower. a young woman buys your umbrella.",
    "this queen likes the beautiful sunflower, because the king paints a sunflower. the dog runs. "
    "my friend reads a letter again. the bird sings.",
    "your friendly doctor reads a letter, when the child laughs. the policeman catches the fast squirrel.",
]


def add_arguments(p):
    add_out_and_seed(p, DEFAULT_OUT)
    p.add_argument("--d-model", type=int, default=64)
    p.add_argument("--d-kv", type=int, default=16)
    p.add_argument("--d-ff", type=int, default=256)
    p.add_argument("--layers", type=int, default=2, help="encoder layers and decoder layers")
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--buckets", type=int, default=32, help="relative_attention_num_buckets")
    p.add_argument("--max-distance", type=int, default=128, help="relative_attention_max_distance")
    p.add_argument("--extra-ids", type=int, default=10, help="<extra_id_N> sentinel tokens (t5-small: 100)")
    p.add_argument("--vocab-multiple", type=int, default=128,
                   help="config vocab_size is the tokenizer size rounded up to this (t5-small: 32100 -> 32128)")
    p.add_argument("--max-length", type=int, default=64, help="generation max_length")
    p.add_argument("--train-translations", type=int, default=30000)
    p.add_argument("--train-summaries", type=int, default=30000)
    p.add_argument("--test-examples", type=int, default=500, help="held-out examples per task")
    p.add_argument("--steps", type=int, default=2500)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=5e-3)
    p.add_argument("--dropout", type=float, default=0.0, help="dropout_rate")
    add_threads_and_report(p, "also write a JSON report (metrics, demo and probe outputs, timings) here")


def task_specific_params(max_length):
    """t5-small's keys (config.json ``task_specific_params``), lengths scaled to the tiny tasks."""
    return {
        "summarization": {"early_stopping": True, "length_penalty": 2.0, "max_length": max_length, "min_length": 5,
                          "no_repeat_ngram_size": 3, "num_beams": 4, "prefix": SUMMARIZE_PREFIX},
        "translation_en_to_de": {"early_stopping": True, "max_length": max_length, "num_beams": 4,
                                 "prefix": TRANSLATE_PREFIX},
    }


def build_tokenizer(extra_ids):
    """t5-small's layout: specials first, sentinels last in reverse order (``<extra_id_0>`` has the highest id)."""
    sentinels = [f"<extra_id_{i}>" for i in reversed(range(extra_ids))]
    pieces = word_list_pieces(list(vocabulary_words()) + list(PREFIX_WORDS), ALPHABET, ("<pad>", "</s>", "<unk>"),
                              sentinels)
    return UnigramTokenizer(pieces, extra_specials=sentinels, single=("$A", "</s>"),
                            pair=("$A", "</s>", "$B", "</s>"))


def summary_documents(rng, sentence_rng, n, exclude_firsts=(), distinct_firsts=False):
    """(document, first sentence): 2 to 4 grammar sentences, each ending with a full stop."""
    out, seen = [], set(exclude_firsts)
    while len(out) < n:
        k = rng.randint(2, 4)
        sentences = [en if en.endswith(".") else en + "." for en, _de in generate_pairs(sentence_rng, k)]
        first = sentences[0]
        if first in exclude_firsts or (distinct_firsts and first in seen):
            continue
        seen.add(first)
        out.append((" ".join(sentences), first))
    return out


def t5_tokenizer_files(tokenizer, extra_ids, model_max_length):
    from ..hf_files import added_tokens_decoder

    specials = {"eos_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>"}
    sentinels = [f"<extra_id_{i}>" for i in range(extra_ids)]
    everything = dict(specials, **{t: t for t in sentinels})
    tokenizer_config = {
        "added_tokens_decoder": added_tokens_decoder(tokenizer.vocab, everything),
        "additional_special_tokens": sentinels,
        "clean_up_tokenization_spaces": False,
        "extra_ids": extra_ids,
        "legacy": True,
        "model_max_length": model_max_length,
        "sp_model_kwargs": {},
        "tokenizer_class": "T5Tokenizer",
        **specials,
    }
    return tokenizer_config, dict(specials, additional_special_tokens=sentinels)


def run(args, log=print):
    import torch

    from ..hf_files import write_tokenizer_files
    from ..onnx_export import describe
    from ..reproducible import file_digests, make_torch_deterministic, write_json, write_text
    from ..seq2seq_export import export_all
    from ..seq2seq_training import greedy_batched, greedy_generate, train_seq2seq
    from ..tiny_bert import plain_dense
    from ..tiny_t5 import T5Shape, TinyT5

    t0 = time.monotonic()
    make_torch_deterministic(args.seed, threads=args.threads)
    timings = {}

    tokenizer = build_tokenizer(args.extra_ids)
    pad, eos = tokenizer.pad_id, tokenizer.eos_id
    vocab_size = -(-len(tokenizer.pieces) // args.vocab_multiple) * args.vocab_multiple
    log(f"vocabulary: {len(tokenizer.pieces)} pieces (config vocab_size {vocab_size})")

    translations = generate_pairs(new_rng(args.seed, "train-translation"), args.train_translations)
    seen_en = {en for en, _ in translations}
    test_translations = generate_pairs(new_rng(args.seed, "test-translation"), args.test_examples, exclude=seen_en,
                                       distinct=True)
    summaries = summary_documents(new_rng(args.seed, "train-summary"), new_rng(args.seed, "train-summary-sentences"),
                                  args.train_summaries)
    seen_first = {first for _, first in summaries}
    test_summaries = summary_documents(new_rng(args.seed, "test-summary"), new_rng(args.seed, "test-summary-sentences"),
                                       args.test_examples, exclude_firsts=seen_first, distinct_firsts=True)
    log(f"translation pairs: train {len(translations)}, held-out {len(test_translations)} (unseen sources); "
        f"summaries: train {len(summaries)}, held-out {len(test_summaries)} (unseen first sentences)")

    def enc(text):
        return tokenizer.encode(text).ids

    train = [(TRANSLATE_PREFIX + en, de) for en, de in translations] + [(SUMMARIZE_PREFIX + d, f) for d, f in summaries]
    examples = [(enc(s), enc(t)) for s, t in train]
    assert not any(tokenizer.unk_id in s or tokenizer.unk_id in t for s, t in examples), "training text not covered"
    for w in list(vocabulary_words()) + list(PREFIX_WORDS):
        want = [("\u2581" if i == 0 else "") + p for i, p in enumerate(w.replace(" ", "|\u2581").split("|"))]
        got = tokenizer.encode(w.replace("|", ""), add_special_tokens=False).tokens
        assert got == want, f"{w}: {got} != {want}"
    log(f"training tokens: mean source {sum(len(s) for s, _ in examples) / len(examples):.1f}, "
        f"max source {max(len(s) for s, _ in examples)}, "
        f"mean target {sum(len(t) for _, t in examples) / len(examples):.1f}")

    shape = T5Shape(vocab_size=vocab_size, pad_token_id=pad, eos_token_id=eos, d_model=args.d_model, d_kv=args.d_kv,
                    d_ff=args.d_ff, num_layers=args.layers, num_decoder_layers=args.layers, num_heads=args.heads,
                    relative_attention_num_buckets=args.buckets, relative_attention_max_distance=args.max_distance,
                    dropout_rate=args.dropout)
    model = TinyT5(shape)
    params = sum(p.numel() for p in model.parameters())
    log(f"model: {params} parameters; training {args.steps} steps x {args.batch_size} on {args.threads} thread(s)")
    # T5: the decoder starts from <pad> (decoder_start_token_id 0) and pads with it too.
    stats = train_seq2seq(model, examples, new_rng(args.seed, "batches"), args.steps, args.batch_size, args.lr,
                          pad, pad, log=log)
    timings["train_seconds"] = round(stats["seconds"], 1)

    def generate(sources):
        return greedy_batched(model, [enc(s) for s in sources], pad, pad, eos, args.max_length,
                              generate=lambda src, mask: greedy_generate(model, src, mask, pad, eos, pad,
                                                                         args.max_length))

    t1 = time.monotonic()
    metrics, errors, heldout = {}, [], []
    for task, prefix, pairs in (("translation_en_to_de", TRANSLATE_PREFIX, test_translations),
                                ("summarization", SUMMARIZE_PREFIX, test_summaries)):
        outputs = generate([prefix + s for s, _ in pairs])
        hyps = [tokenizer.decode(o) for o in outputs]
        correct = [h == ref for h, (_, ref) in zip(hyps, pairs)]
        metrics[task] = {"heldout": len(pairs), "exact_match": round(sum(correct) / len(correct), 4)}
        errors += [{"task": task, "source": s, "reference": ref, "output": h}
                   for h, c, (s, ref) in zip(hyps, correct, pairs) if not c][:10]
        heldout += [{"task": task, "source": prefix + s, "reference": ref, "output_ids": o, "output": h}
                    for (s, ref), o, h in list(zip(pairs, outputs, hyps))[:25]]
        log(f"held-out {task}: exact match {metrics[task]['exact_match']:.4f} ({sum(correct)}/{len(correct)})")
    timings["eval_seconds"] = round(time.monotonic() - t1, 1)

    demo_sources = [TRANSLATE_PREFIX + s for s in DEMO_SENTENCES] + [SUMMARIZE_PREFIX + d for d in DEMO_DOCUMENTS]
    demo = [{"source": s, "source_ids": enc(s), "output_ids": o, "output": tokenizer.decode(o)}
            for s, o in zip(demo_sources, generate(demo_sources))]
    for d in demo:
        log(f"demo: {d['source']}  ->  {d['output']}")

    out = args.out
    os.makedirs(out, exist_ok=True)
    config = dict(shape.t5_config_fields(), task_specific_params=task_specific_params(args.max_length),
                  transformers_version=TRANSFORMERS_VERSION)
    write_json(os.path.join(out, "config.json"), config, sort_keys=True)
    write_json(os.path.join(out, "generation_config.json"), {
        "decoder_start_token_id": pad, "eos_token_id": eos, "max_length": args.max_length, "num_beams": 1,
        "pad_token_id": pad, "transformers_version": TRANSFORMERS_VERSION}, sort_keys=True)
    tok_config, special_map = t5_tokenizer_files(tokenizer, args.extra_ids, model_max_length=512)
    write_tokenizer_files(out, tokenizer, tok_config, special_map)
    example = torch.tensor([enc(demo_sources[1]), enc(demo_sources[1])], dtype=torch.long)
    with plain_dense():
        protos = export_all(model, os.path.join(out, "onnx"), example)
    graphs = {name: describe(p) for name, p in protos.items()}

    reread = UnigramTokenizer.from_file(os.path.join(out, "tokenizer.json"))
    for (s, t), (si, ti) in zip(train, examples):
        if reread.encode(s).ids != si or reread.encode(t).ids != ti:
            raise RuntimeError(f"tokenizer.json does not reproduce training ids for {s!r}")
    probes = [{"text": p, "ids": reread.encode(p).ids, "tokens": reread.encode(p).tokens,
               "decoded": reread.decode(reread.encode(p).ids)}
              for p in TOKENIZER_PROBES + [TRANSLATE_PREFIX + "the dog runs.", SUMMARIZE_PREFIX + DEMO_DOCUMENTS[0],
                                           "<extra_id_0> the <extra_id_9>"]]

    card = {"shape": shape, "params": params, "args": args, "metrics": metrics, "demo": demo, "graphs": graphs,
            "files": {p: d for p, d in file_digests(out).items() if p in WRITTEN_FILES},
            "pieces": len(tokenizer.pieces), "pad": pad, "eos": eos}
    write_text(os.path.join(out, "README.md"), _model_card(card))

    digests = finish(out, t0, timings, log, 36, 9)
    log(f"training {timings['train_seconds']}s, total {timings['total_seconds']}s")
    if args.report:
        write_json(args.report, {
            "recipe": NAME, "seed": args.seed, "metrics": metrics, "demo": demo, "probes": probes,
            "heldout_sample": heldout, "graphs": graphs, "timings": timings, "loss_history": stats["loss_history"],
            "files": digests, "error_examples": errors,
        })
    return 0


def onnx_files_section(files, graphs):
    """The model card's file table and ONNX input/output lists (shared with m2m-tiny)."""
    sizes = "\n".join(f"| `{p}` | {d['bytes']:,} |" for p, d in sorted(files.items()))
    total = sum(d["bytes"] for d in files.values())

    def io(v):
        return f"`{v['name']}` {v['type'].replace('float', 'float32')} [{', '.join(str(d) for d in v['shape'])}]"

    lines = []
    for name in ("encoder_model", "decoder_model", "decoder_with_past_model", "decoder_model_merged"):
        g = graphs[name]
        lines.append(f"- `onnx/{name}.onnx`\n  - inputs: {', '.join(io(i) for i in g['inputs'])}\n"
                     f"  - outputs: {', '.join(io(o) for o in g['outputs'])}")
    return f"""| file | bytes |
|---|---|
{sizes}

{total / 1e6:.2f} MB in all (without this card). Both decoder layouts are present:
the split `decoder_model.onnx` + `decoder_with_past_model.onnx`, and
`decoder_model_merged.onnx`, an ONNX `If` on `use_cache_branch` (then: with past, whose
`present.*.encoder.*` outputs are `Identity` pass-throughs of `past_key_values.*.encoder.*`;
else: no past) whose weights are stored once, in the outer graph. ONNX opset
{graphs['encoder_model']['opset']}, fp32; key/value tensors are [batch, heads, sequence, head_dim].

{chr(10).join(lines)}"""


def _model_card(f):
    s, a, m = f["shape"], f["args"], f["metrics"]
    demo_lines = [f"| {d['source']} | {d['output']} | `{' '.join(map(str, d['output_ids']))}` |" for d in f["demo"]]
    return f"""# t5-tiny (tiny, synthetic)

A tiny T5 (`T5ForConditionalGeneration`, t5-small style) in the Hugging Face Optimum /
transformers.js layout, made by `models/generator/generate_models.py` for the nlp-streams
tests. It does two tasks chosen by t5-small's text prefixes: `{TRANSLATE_PREFIX}` + an English
sentence of a small grammar -> pseudo-German (the word-list translation of the `marian-tiny`
model), and `{SUMMARIZE_PREFIX}` + 2 to 4 such sentences -> the first sentence. Trained from
scratch in a few minutes; a test fixture, not a translation or summarization model.

## Files

{onnx_files_section(f['files'], f['graphs'])}

## Model

- T5 encoder-decoder: d_model {s.d_model}, {s.num_layers} encoder + {s.num_decoder_layers} decoder layers,
  {s.num_heads} heads of d_kv {s.d_kv}, d_ff {s.d_ff} (ReLU, no biases), T5 layer norm (root mean square,
  weight only, eps {s.layer_norm_epsilon}) before each block and at the end of each stack, no absolute
  positions and no embedding scaling; relative position bias with {s.relative_attention_num_buckets} buckets
  and max distance {s.relative_attention_max_distance} (bidirectional in the encoder, causal in the decoder),
  computed by the first layer and added in every layer; scores are not scaled by 1/sqrt(d_kv).
  In a cached decoder step (`decoder_with_past_model`, then-branch of the merged decoder) the bias
  rows are those of query positions past_length .. past_length + new - 1, computed from the past
  key length, so the cache gives the same logits as a full recomputation.
- **Tied** embeddings (`tie_word_embeddings` true): one matrix for encoder, decoder and LM head;
  the decoder output is multiplied by d_model ** -0.5 before the LM head, as T5 does when tied.
  {f['params']:,} parameters.
- `config.json`: `model_type` "t5", `decoder_start_token_id` = `pad_token_id` = {f['pad']},
  `eos_token_id` {f['eos']}, `vocab_size` {s.vocab_size} = the tokenizer's {f['pieces']} tokens rounded up to a
  multiple of {a.vocab_multiple} (as t5-small: 32100 tokens, `vocab_size` 32128), so the logits are wider
  than the vocabulary; the extra rows are never produced. `task_specific_params` has t5-small's
  keys for `summarization` (prefix "{SUMMARIZE_PREFIX}", num_beams 4, no_repeat_ngram_size 3,
  length_penalty 2.0, early_stopping, min_length 5, max_length {a.max_length}) and `translation_en_to_de`
  (prefix "{TRANSLATE_PREFIX}", num_beams 4, early_stopping, max_length {a.max_length}); the lengths are
  scaled down from t5-small's (30/200, 300) to the tiny tasks. transformers.js's `summarization`
  pipeline prepends that prefix itself (and uses nothing else of the entry); for translation the
  caller prepends "{TRANSLATE_PREFIX}" (transformers.js 4.3.1 rejects the task name
  `translation_en_to_de`, and its `translation` pipeline finds no `task_specific_params.translation`).
- `generation_config.json`: greedy (`num_beams` 1), `max_length` {a.max_length}, no forced eos, no bad words.

## Tokenizer

`tokenizer.json`: Unigram (SentencePiece style), {f['pieces']} tokens: `<pad>` 0, `</s>` 1, `<unk>` 2, the
lone `▁`, word pieces (every word of the English/German word list and of the prefixes as one `▁word`
piece, except the deliberately split ones, as in `marian-tiny`), single characters, and
`<extra_id_{a.extra_ids - 1}>` .. `<extra_id_0>` as the last ids (t5-small's order; {a.extra_ids} sentinels here, 100
there), all added special tokens. NFKC normalizer (t5-small has a precompiled SentencePiece
charsmap), `Metaspace` pre-tokenizer and decoder, post-processor `$A </s>` (pair `$A </s> $B </s>`).
`tokenizer_config.json`: `T5Tokenizer`, `extra_ids` {a.extra_ids}, the sentinels as
`additional_special_tokens`, `clean_up_tokenization_spaces` false.

## Task and data

{a.train_translations:,} translation pairs and {a.train_summaries:,} summaries (2 to 4 sentences, each with a
full stop) mixed in one training set; {a.steps} AdamW steps of batch {a.batch_size}, peak learning rate {a.lr}
(linear warm-up and decay), dropout {s.dropout_rate}, seed {a.seed}, one CPU thread, deterministic kernels.

## Held-out evaluation (greedy, PyTorch with the KV cache)

| task | examples | exact match |
|---|---|---|
| translation_en_to_de (sources never seen in training) | {m['translation_en_to_de']['heldout']} | {m['translation_en_to_de']['exact_match']:.4f} |
| summarization (first sentences never seen in training) | {m['summarization']['heldout']} | {m['summarization']['exact_match']:.4f} |

## Demo (greedy; ids include the decoder start token {f['pad']} and `</s>` {f['eos']})

| source | output | output ids |
|---|---|---|
{chr(10).join(demo_lines)}

## Regenerate

```
{a.regenerate_command}
```

The same command on the same software (Debian python3-torch 1.13, python3-onnx 1.12) rewrites
byte-identical files. transformers.js goldens: `models/goldens/t5-tiny-translation.json`
(`make_translation_goldens.mjs`) and `models/goldens/t5-tiny-summarization.json`
(`make_summary_goldens.mjs`), both in `models/reference`.
"""
