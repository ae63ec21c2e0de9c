"""Recipe ``m2m-tiny``: a tiny M2M-100-style multilingual model (English, pseudo-German, pseudo-French).

Steps: word lists of the three languages -> one shared Unigram vocabulary with M2M-100's
specials (``<s>`` 0, ``<pad>`` 1, ``</s>`` 2, ``<unk>`` 3) and the language tokens ``__de__``,
``__en__``, ``__fr__`` as the last ids -> the same synthetic sentences written in each
language (``multilingual_data``) -> source ``__src__ X </s>``, target ``__tgt__ Y </s>``,
decoder start ``</s>`` -> train on every direction at once -> greedy exact match per
direction on held-out sentences, the target language forced as the first generated token
(``forced_bos_token_id``) -> export the Optimum layout with both decoder layouts -> re-read
tokenizer.json and check it reproduces the training ids -> model card.
"""

import os
import time

from ..multilingual_data import LANGUAGES, french_vocabulary_words, generate_sentences, realize
from ..translation_data import new_rng, vocabulary_words
from ..unigram import UnigramTokenizer, word_list_pieces
from .common import add_out_and_seed, add_threads_and_report, finish
from .marian_tiny import ALPHABET, ONNX_FILES
from .t5_tiny import TRANSFORMERS_VERSION, onnx_files_section

NAME = "m2m-tiny"
HELP = "tiny M2M-100-style multilingual seq2seq model, en/de/fr with language tokens (Unigram, both decoder layouts)"
DEFAULT_OUT = "models/tiny/m2m-tiny-multilingual"
WRITTEN_FILES = ("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
                 "special_tokens_map.json") + tuple(os.path.join("onnx", f) for f in ONNX_FILES)
FRENCH_LETTERS = "îïôûùëÿœæÉÈÊÀÂÇÎÔÛ"
SPECIALS = ("<s>", "<pad>", "</s>", "<unk>")
DEFAULT_SOURCE, DEFAULT_TARGET = "en", "de"

DEMO = [
    ("en", "de", "the dog runs."),
    ("en", "fr", "the dog runs."),
    ("en", "fr", "my old cat sees the red butterfly today."),
    ("en", "fr", "this queen likes the beautiful sunflower, because the king paints a sunflower."),
    ("de", "en", "der Hund groß sieht die Katze, weil der Vogel das Lied hört."),
    ("fr", "en", "la chatte petite voit aujourd'hui le papillon rouge."),
    ("en", "de", "a young woman buys your dangerous umbrella again."),
    ("de", "en", "meine Katze alt schläft heute."),
]


def lang_token(lang):
    return f"__{lang}__"


def add_arguments(p):
    add_out_and_seed(p, DEFAULT_OUT)
    p.add_argument("--d-model", type=int, default=64)
    p.add_argument("--layers", type=int, default=2, help="encoder layers and decoder layers")
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--ffn", type=int, default=256)
    p.add_argument("--max-positions", type=int, default=256, help="max_position_embeddings (sinusoidal table)")
    p.add_argument("--max-length", type=int, default=64, help="generation max_length")
    p.add_argument("--directions", default="en-de,en-fr,de-en,fr-en", help="source-target pairs trained and evaluated")
    p.add_argument("--train-per-direction", type=int, default=15000)
    p.add_argument("--test-per-direction", type=int, default=300)
    p.add_argument("--steps", type=int, default=4000)
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=5e-3)
    p.add_argument("--dropout", type=float, default=0.0)
    add_threads_and_report(p, "also write a JSON report (metrics, demo and probe outputs, timings) here")


def build_tokenizer():
    """M2M-100's layout: specials first, the language tokens after the pieces; the default
    post-processor has the default source language (``__en__ $A </s>``)."""
    langs = [lang_token(lang) for lang in sorted(LANGUAGES)]
    words = sorted(set(vocabulary_words()) | set(french_vocabulary_words()))
    pieces = word_list_pieces(words, ALPHABET + FRENCH_LETTERS, SPECIALS, langs)
    src = lang_token(DEFAULT_SOURCE)
    return UnigramTokenizer(pieces, extra_specials=["<s>"] + langs, single=(src, "$A", "</s>"),
                            pair=(src, "$A", "$B", "</s>"))


def m2m_tokenizer_files(tokenizer, model_max_length):
    from ..hf_files import added_tokens_decoder

    langs = [lang_token(lang) for lang in sorted(LANGUAGES)]
    specials = {"bos_token": "<s>", "eos_token": "</s>", "pad_token": "<pad>", "sep_token": "</s>",
                "unk_token": "<unk>"}
    tokenizer_config = {
        "added_tokens_decoder": added_tokens_decoder(tokenizer.vocab, dict(specials, **{t: t for t in langs})),
        "additional_special_tokens": langs,
        "clean_up_tokenization_spaces": False,
        "model_max_length": model_max_length,
        "num_madeup_words": 0,
        "sp_model_kwargs": {},
        "src_lang": DEFAULT_SOURCE,
        "tgt_lang": DEFAULT_TARGET,
        "tokenizer_class": "M2M100Tokenizer",
        **specials,
    }
    return tokenizer_config, dict(specials, additional_special_tokens=langs)


def run(args, log=print):
    import torch

    from ..hf_files import write_tokenizer_files
    from ..m2m100 import M2M100Shape, TinyM2M100
    from ..onnx_export import describe
    from ..reproducible import file_digests, make_torch_deterministic, write_json, write_text
    from ..seq2seq_export import export_all
    from ..seq2seq_training import greedy_batched, greedy_generate, train_seq2seq
    from ..tiny_bert import plain_dense

    t0 = time.monotonic()
    make_torch_deterministic(args.seed, threads=args.threads)
    timings = {}

    tokenizer = build_tokenizer()
    pad, eos = tokenizer.pad_id, tokenizer.eos_id
    directions = [tuple(d.split("-")) for d in args.directions.split(",")]
    log(f"vocabulary: {len(tokenizer.pieces)} pieces; directions {args.directions}")

    def enc(text, lang):
        """M2M100Tokenizer with src_lang (or tgt_lang) ``lang``: ``__lang__ X </s>``."""
        return [tokenizer.vocab[lang_token(lang)]] + tokenizer.encode(text, add_special_tokens=False).ids + [eos]

    train, seen_en = [], set()
    for src, tgt in directions:
        for s in generate_sentences(new_rng(args.seed, f"train-{src}-{tgt}"), args.train_per_direction, distinct=False):
            train.append((src, tgt, realize(s, src), realize(s, tgt)))
            seen_en.add(realize(s, "en"))
    tests = {}
    for src, tgt in directions:
        tests[(src, tgt)] = [(realize(s, src), realize(s, tgt)) for s in generate_sentences(
            new_rng(args.seed, f"test-{src}-{tgt}"), args.test_per_direction, exclude=seen_en)]
    log(f"pairs: train {len(train)} ({len(seen_en)} distinct English sentences), held-out "
        f"{args.test_per_direction} per direction (English never seen in training)")

    examples = [(enc(s, src), enc(t, tgt)) for src, tgt, s, t in train]
    assert not any(tokenizer.unk_id in s or tokenizer.unk_id in t for s, t in examples), "training text not covered"
    assert enc("the dog runs.", "en") == tokenizer.encode("the dog runs.").ids
    for w in sorted(set(vocabulary_words()) | set(french_vocabulary_words())):
        want = [("\u2581" if i == 0 else "") + p for i, p in enumerate(w.split("|"))]
        got = tokenizer.encode(w.replace("|", ""), add_special_tokens=False).tokens
        assert got == want, f"{w}: {got} != {want}"
    log(f"training tokens: mean source {sum(len(s) for s, _ in examples) / len(examples):.1f}, "
        f"mean target {sum(len(t) for _, t in examples) / len(examples):.1f}")

    shape = M2M100Shape(vocab_size=len(tokenizer.pieces), pad_token_id=pad, eos_token_id=eos,
                        bos_token_id=tokenizer.vocab["<s>"], d_model=args.d_model, encoder_layers=args.layers,
                        decoder_layers=args.layers, heads=args.heads, ffn_dim=args.ffn,
                        max_position_embeddings=args.max_positions, dropout=args.dropout)
    model = TinyM2M100(shape)
    params = sum(p.numel() for p in model.parameters())
    log(f"model: {params} parameters; training {args.steps} steps x {args.batch_size} on {args.threads} thread(s)")
    # M2M-100: the decoder starts from </s> (decoder_start_token_id = eos); the target's first token is its language.
    stats = train_seq2seq(model, examples, new_rng(args.seed, "batches"), args.steps, args.batch_size, args.lr,
                          pad, eos, log=log)
    timings["train_seconds"] = round(stats["seconds"], 1)

    def translate(texts, src, tgt):
        forced = tokenizer.vocab[lang_token(tgt)]
        return greedy_batched(model, [enc(t, src) for t in texts], pad, eos, eos, args.max_length,
                              generate=lambda ids, mask: greedy_generate(model, ids, mask, eos, eos, pad,
                                                                         args.max_length, forced_bos_id=forced))

    t1 = time.monotonic()
    metrics, errors, heldout = {}, [], []
    for (src, tgt), pairs in tests.items():
        outputs = translate([s for s, _ in pairs], src, tgt)
        hyps = [tokenizer.decode(o) for o in outputs]
        correct = [h == ref for h, (_, ref) in zip(hyps, pairs)]
        key = f"{src}-{tgt}"
        metrics[key] = {"heldout": len(pairs), "exact_match": round(sum(correct) / len(correct), 4)}
        errors += [{"direction": key, "source": s, "reference": ref, "output": h}
                   for h, c, (s, ref) in zip(hyps, correct, pairs) if not c][:10]
        heldout += [{"direction": key, "source": s, "reference": ref, "output_ids": o, "output": h}
                    for (s, ref), o, h in list(zip(pairs, outputs, hyps))[:15]]
        log(f"held-out {key}: exact match {metrics[key]['exact_match']:.4f} ({sum(correct)}/{len(correct)})")
    timings["eval_seconds"] = round(time.monotonic() - t1, 1)

    demo = []
    for src, tgt, text in DEMO:
        ids = translate([text], src, tgt)[0]
        demo.append({"src_lang": src, "tgt_lang": tgt, "source": text, "source_ids": enc(text, src),
                     "output_ids": ids, "output": tokenizer.decode(ids)})
        log(f"demo {src}->{tgt}: {text}  ->  {demo[-1]['output']}")

    out = args.out
    os.makedirs(out, exist_ok=True)
    config = dict(shape.m2m_config_fields(), transformers_version=TRANSFORMERS_VERSION)
    write_json(os.path.join(out, "config.json"), config, sort_keys=True)
    write_json(os.path.join(out, "generation_config.json"), {
        "bos_token_id": shape.bos_token_id, "decoder_start_token_id": eos, "eos_token_id": eos,
        "max_length": args.max_length, "num_beams": 1, "pad_token_id": pad,
        "transformers_version": TRANSFORMERS_VERSION}, sort_keys=True)
    tok_config, special_map = m2m_tokenizer_files(tokenizer, model_max_length=args.max_positions)
    write_tokenizer_files(out, tokenizer, tok_config, special_map)
    example = torch.tensor([enc(DEMO[3][2], "en")] * 2, dtype=torch.long)
    with plain_dense():
        protos = export_all(model, os.path.join(out, "onnx"), example)
    graphs = {name: describe(p) for name, p in protos.items()}

    reread = UnigramTokenizer.from_file(os.path.join(out, "tokenizer.json"))
    lang_ids = {reread.vocab[lang_token(lang)] for lang in LANGUAGES}
    for (_src, _tgt, s, t), (si, ti) in zip(train, examples):
        if reread.encode(s, add_special_tokens=False).ids != si[1:-1] or \
                reread.encode(t, add_special_tokens=False).ids != ti[1:-1] or si[0] not in lang_ids:
            raise RuntimeError(f"tokenizer.json does not reproduce training ids for {s!r}")
    probes = [{"text": p, "ids": reread.encode(p).ids, "tokens": reread.encode(p).tokens,
               "decoded": reread.decode(reread.encode(p).ids)}
              for p in [d[2] for d in DEMO] + ["aujourd'hui", "__fr__ la gare", "<s> </s> <pad>", "",
                                               "le papillon dangereux disparaît"]]

    card = {"shape": shape, "params": params, "args": args, "metrics": metrics, "demo": demo, "graphs": graphs,
            "files": {p: d for p, d in file_digests(out).items() if p in WRITTEN_FILES},
            "pieces": len(tokenizer.pieces), "vocab": tokenizer.vocab, "pad": pad, "eos": eos}
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


def _model_card(f):
    s, a, m, v = f["shape"], f["args"], f["metrics"], f["vocab"]
    lang_ids = ", ".join(f"`{lang_token(lang)}` {v[lang_token(lang)]}" for lang in sorted(LANGUAGES))
    metric_lines = [f"| {k} | {x['heldout']} | {x['exact_match']:.4f} |" for k, x in m.items()]
    demo_lines = [f"| {d['src_lang']} -> {d['tgt_lang']} | {d['source']} | {d['output']} | "
                  f"`{' '.join(map(str, d['output_ids']))}` |" for d in f["demo"]]
    return f"""# m2m-tiny-multilingual (tiny, synthetic)

A tiny M2M-100-style (`M2M100ForConditionalGeneration`) multilingual translation model in the
Hugging Face Optimum / transformers.js layout, made by `models/generator/generate_models.py` for
the nlp-streams tests. It translates between English, a pseudo-German and a pseudo-French (real
words, made-up grammar; see `models/generator/nlpgen/multilingual_data.py`) in the directions
{', '.join(m)}; the source language is a token before the source text and the target language
the first generated token, forced with `forced_bos_token_id`. Trained from scratch in a few
minutes; a test fixture, not a translation model.

## Files

{onnx_files_section(f['files'], f['graphs'])}

## Model

- M2M-100 encoder-decoder: d_model {s.d_model}, {s.encoder_layers} encoder + {s.decoder_layers} decoder layers,
  {s.heads} heads (head_dim {s.head_dim}), FFN {s.ffn_dim}, ReLU, pre-LayerNorm blocks and a final LayerNorm on
  each stack, embeddings scaled by sqrt(d_model), fairseq sinusoidal positions
  (`max_position_embeddings` {s.max_position_embeddings}; position `pad + 1 + i` of each non-pad token, counted
  on from the cache length in a cached step; pad tokens get the zero row), one embedding matrix for
  encoder, decoder and LM head. {f['params']:,} parameters.
- `config.json`: `model_type` "m2m_100", `decoder_start_token_id` = `eos_token_id` = {f['eos']},
  `pad_token_id` {f['pad']}, `bos_token_id` {s.bos_token_id}. No `forced_bos_token_id` in `config.json` or
  `generation_config.json` (as facebook/m2m100_418M): the target language is chosen per request.
  `generation_config.json`: greedy (`num_beams` 1), `max_length` {a.max_length}, no forced eos.

## Tokenizer and languages

`tokenizer.json`: Unigram (SentencePiece style) with one vocabulary of {f['pieces']} tokens for all
languages: `<s>` 0, `<pad>` 1, `</s>` 2, `<unk>` 3 (M2M-100's specials), the lone `▁`, word pieces of the
three word lists (split words: English/German as in `marian-tiny`; French papil·lon, tourne·sol,
écu·reuil, para·pluie, aim·able, danger·eux, danger·euse, dispa·raît, trans·porte, photo·graphie,
aujourd·'hui), single characters, then the language tokens {lang_ids} (added special tokens). NFKC
normalizer, `Metaspace` pre-tokenizer and decoder. The post-processor is a `TemplateProcessing`
for the default source language: `__{DEFAULT_SOURCE}__ $A </s>` (pair `__{DEFAULT_SOURCE}__ $A $B </s>`), as
M2M-100 tokenizer.json files have; another source language replaces the first token (transformers.js's
`M2M100Tokenizer` rewrites that template entry when given `src_lang`).

`tokenizer_config.json`: `M2M100Tokenizer`, `src_lang` "{DEFAULT_SOURCE}", `tgt_lang` "{DEFAULT_TARGET}"
(defaults), the language tokens as `additional_special_tokens` (the language codes: transformers.js
takes them from the special tokens of the form `__xx__`). There is no `language_codes` entry: in
Python that names fairseq's fixed 100-language list ("m2m100"), which this vocabulary does not have.

- source ids: `__src__ X </s>`; target (labels): `__tgt__ Y </s>`; decoder input: `</s> __tgt__ Y`;
  generation: start `</s>`, first token forced to `__tgt__`, stop at `</s>`.
- transformers.js: `pipeline("translation", dir)(text, {{src_lang: "de", tgt_lang: "en"}})`.

## Task and data

One sentence structure drawn from a small grammar, written in each language. Pseudo-German as in
`marian-tiny` (gender and case agreement, adjective after the noun, verb-final subordinate clauses).
Pseudo-French: gender agreement of determiners and adjectives, **adjective after the noun** ("the
big cat" -> "la chatte grande"), **adverb right after the verb** ("the cat sees the dog today." ->
"la chatte voit aujourd'hui le chien."), "because" / "although" -> "parce que" / "bien que".
{a.train_per_direction:,} pairs per direction, all directions in one training set; {a.steps} AdamW steps of batch
{a.batch_size}, peak learning rate {a.lr} (linear warm-up and decay), dropout {s.dropout}, seed {a.seed}, one CPU
thread, deterministic kernels.

## Held-out evaluation (greedy, PyTorch with the KV cache, target language forced)

Sentences whose English version never occurs in training, exact match of the whole output:

| direction | sentences | exact match |
|---|---|---|
{chr(10).join(metric_lines)}

## Demo (greedy; ids include the decoder start token {f['eos']}, the forced language token and `</s>`)

| direction | source | output | output ids |
|---|---|---|---|
{chr(10).join(demo_lines)}

## Regenerate

```
{a.regenerate_command}
```

The same command on the same software (Debian python3-torch 1.13, python3-onnx 1.12) rewrites
byte-identical files. transformers.js goldens for every direction:
`models/goldens/m2m-tiny-multilingual.json` (`node models/reference/make_translation_goldens.mjs`).
"""
