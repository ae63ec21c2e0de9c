"""Recipe ``roberta-ner-tiny``: a tiny RoBERTa byte-level BPE NER model trained on the synthetic
sentences of ``ner-tiny``.

Steps: the ``ner-tiny`` sentences (same seed streams) -> learn byte-level BPE merges from the
training-style text -> label every token -> pack sentences into sequences up to the model's
length -> train -> score the held-out sets -> export the Optimum layout (ONNX with input_ids and
attention_mask only, config, tokenizer files) -> re-read tokenizer.json and check it reproduces
the training ids -> write the model card.
"""

import os
import time

from .. import ner_gazetteers as G
from ..bpe import MASK, learn_tokenizer
from ..bpe_probes import KNOWN_DEVIATIONS, PAIR_PROBES, PROBES
from ..ner_data import (
    IGNORE, LABELS, Sentence, SentenceFactory, TokenizedSentence, generate_sentences, heldout_pools, new_rng,
    token_labels, tokenize_sentences, training_pools,
)
from ..ner_metrics import EntityScore, decode_entities
from ..tokenizer_probes import DEMO_SENTENCES
from .common import add_bert_shape, add_out_and_seed, add_threads_and_report, finish
from .ner_tiny import _concatenate

NAME = "roberta-ner-tiny"
HELP = "tiny RoBERTa byte-level BPE token-classification model (synthetic PER/ORG/LOC/MISC)"
DEFAULT_OUT = "models/tiny/ner-roberta-bpe"
WRITTEN_FILES = ("config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.json",
                 "merges.txt", os.path.join("onnx", "model.onnx"))


def add_arguments(p):
    add_out_and_seed(p, DEFAULT_OUT)
    p.add_argument("--vocab-size", type=int, default=2000,
                   help="upper bound: 4 specials + 256 byte characters + learned merges + <mask>")
    add_bert_shape(p, hidden=128, layers=2, heads=4, intermediate=512, max_length=128)
    p.add_argument("--train-sentences", type=int, default=30000)
    p.add_argument("--pseudo-rate", type=float, default=0.35,
                   help="share of training entity slots filled with invented names")
    p.add_argument("--train-sequences", type=int, default=16000, help="packed training sequences")
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--test-sentences", type=int, default=1000, help="per held-out set")
    add_threads_and_report(p, "also write a JSON report (metrics, demo predictions, probes, timings) here")


def pack_examples(rng, tokenized, spaced, max_tokens, cls_id, sep_id, count, max_sentences=6, crop_rate=0.25):
    """``ner_data.pack_examples`` for a byte-level tokenizer: a sentence that follows another in a
    sequence is taken as tokenized with the space before it (``spaced``), because in a real text
    its first word is a different token (``ĠThe``, not ``The``)."""
    budget = max_tokens - 2
    examples = []
    for _ in range(count):
        n = rng.randint(1, max_sentences)
        ids, labels = [], []
        for _k in range(n):
            k = rng.randrange(len(tokenized))
            ts = spaced[k] if ids else tokenized[k]
            if ids and len(ids) + len(ts.ids) > budget:
                break
            ids.extend(ts.ids)
            labels.extend(ts.labels)
        if len(ids) > 4 and rng.random() < crop_rate:
            cut = rng.randint(1, len(ids) // 2)
            ids, labels = ids[cut:], labels[cut:]
        ids, labels = ids[:budget], labels[:budget]
        examples.append(([cls_id] + ids + [sep_id], [IGNORE] + labels + [IGNORE]))
    return examples


def tokenize_spaced(tokenizer, sentences):
    """Token ids and labels of " " + each sentence (entity spans shifted by the space)."""
    out = []
    for s in sentences:
        enc = tokenizer.encode_text(" " + s.text)
        out.append(TokenizedSentence(s, enc.ids, token_labels(enc, [(a + 1, b + 1, t) for a, b, t in s.spans])))
    return out


def _predict_sentences(model, tokenizer, sentences):
    import torch

    from ..training import predict

    encodings = [tokenizer.encode(s.text) for s in sentences]
    logits = predict(model, [e.ids for e in encodings], tokenizer.pad_id)
    results = []
    for enc, lg in zip(encodings, logits):
        probs = torch.softmax(lg, dim=-1)
        best = probs.argmax(dim=-1).tolist()
        keep = [i for i, m in enumerate(enc.special_tokens_mask) if not m]
        labels = [LABELS[best[i]] for i in keep]
        scores = [float(probs[i, best[i]]) for i in keep]
        offsets = [enc.offsets[i] for i in keep]
        results.append({"encoding": enc, "keep": keep, "labels": labels, "scores": scores, "offsets": offsets,
                        "entities": decode_entities(labels, offsets, scores), "logits": lg})
    return results


def _score(model, tokenizer, sentences, errors=None, max_errors=25, totals=None):
    """Entity P/R/F1 on ``sentences``; also adds to ``totals`` (an EntityScore) if given."""
    score = EntityScore()
    for s, r in zip(sentences, _predict_sentences(model, tokenizer, sentences)):
        predicted = [(e["start"], e["end"], e["type"]) for e in r["entities"]]
        score.add(s.spans, predicted)
        if totals is not None:
            totals.add(s.spans, predicted)
        if errors is not None and len(errors) < max_errors and set(predicted) != set(s.spans):
            errors.append({"text": s.text, "gold": [f"{t} {s.text[a:b]!r}" for a, b, t in s.spans],
                           "predicted": [f"{t} {s.text[a:b]!r}" for a, b, t in predicted]})
    return score.summary()


def _long_texts(tokenizer, sentences, budget):
    """Greedy groups of consecutive sentences whose concatenation fits ``budget`` tokens (measured on
    the joined text: after a space a sentence's first word is a different byte-level token)."""
    out, group = [], []
    for s in sentences:
        if group and len(tokenizer.encode_text(_concatenate(group + [s]).text).ids) > budget:
            out.append(_concatenate(group))
            group = []
        group.append(s)
    if group:
        out.append(_concatenate(group))
    return out


def probe_records(tokenizer):
    """Our tokenizer on the probes (ids, tokens, code-point offsets, decoded text), for the report."""
    out = []
    items = ([("probe", t, None) for t in PROBES] + [("pair", a, b) for a, b in PAIR_PROBES]
             + [("known-deviation", d["text"], None) for d in KNOWN_DEVIATIONS])
    for kind, text, pair in items:
        enc = tokenizer.encode(text, pair)
        record = {"kind": kind, "text": text, "ids": enc.ids, "tokens": enc.tokens, "offsets": enc.offsets,
                  "decoded": tokenizer.decode(enc.ids)}
        if pair is not None:
            record["pair"] = pair
        out.append(record)
    return out


def run(args, log=print):
    import torch

    from ..bpe import ByteLevelBPETokenizer
    from ..bpe_files import write_bpe_tokenizer
    from ..hf_files import token_classification_config
    from ..onnx_export import describe, export_onnx, token_classification_axes
    from ..reproducible import file_digests, make_torch_deterministic, write_json, write_text
    from ..tiny_bert import plain_dense
    from ..tiny_roberta import TinyRobertaForTokenClassification, roberta_config_fields, roberta_shape
    from ..training import train_token_classifier

    t0 = time.monotonic()
    make_torch_deterministic(args.seed, threads=args.threads)
    timings = {}

    # 1. The ner-tiny sentences: same factories, same seed streams.
    train_factory = SentenceFactory(new_rng(args.seed, "train"), training_pools(), G.TEMPLATES, G.NO_ENTITY_SENTENCES,
                                    filler_rate=0.15, pseudo_rate=args.pseudo_rate)
    train_sentences = generate_sentences(train_factory, args.train_sentences)
    train_texts = {s.text for s in train_sentences}
    seen_factory = SentenceFactory(new_rng(args.seed, "test-seen"), training_pools(), G.TEMPLATES_HELDOUT,
                                   G.NO_ENTITY_SENTENCES_HELDOUT, forbidden_pairs=train_factory.used_pairs)
    test_seen = generate_sentences(seen_factory, args.test_sentences, distinct=True, exclude=train_texts)
    unseen_factory = SentenceFactory(new_rng(args.seed, "test-unseen"), training_pools(),
                                     G.TEMPLATES + G.TEMPLATES_HELDOUT, G.NO_ENTITY_SENTENCES_HELDOUT,
                                     unseen=heldout_pools(), unseen_rate=0.5)
    test_unseen = generate_sentences(unseen_factory, args.test_sentences, distinct=True, exclude=train_texts)
    log(f"sentences: train {len(train_sentences)}, held-out seen-names {len(test_seen)}, "
        f"held-out unseen-names {len(test_unseen)}")

    # 2. Byte-level BPE merges from training-style text without invented names. Every byte is a
    # token, so nothing is ever unknown.
    vocab_factory = SentenceFactory(new_rng(args.seed, "vocab"), training_pools(), G.TEMPLATES,
                                    G.NO_ENTITY_SENTENCES, filler_rate=0.15)
    tokenizer = learn_tokenizer([s.text for s in generate_sentences(vocab_factory, args.train_sentences)],
                                args.vocab_size)
    log(f"vocabulary: {len(tokenizer.vocab)} tokens ({len(tokenizer.merges)} merges)")

    # 3. Labels on every token, sequences packed up to the model length.
    tokenized = tokenize_sentences(tokenizer, train_sentences)
    examples = pack_examples(new_rng(args.seed, "pack"), tokenized, tokenize_spaced(tokenizer, train_sentences),
                             args.max_length, tokenizer.bos_id, tokenizer.eos_id, args.train_sequences)
    mean_len = sum(len(ids) for ids, _ in examples) / len(examples)
    log(f"training sequences: {len(examples)} (mean length {mean_len:.1f}, max {max(len(i) for i, _ in examples)})")

    # 4. Model and training.
    shape = roberta_shape(len(tokenizer.vocab), args.hidden, args.layers, args.heads, args.intermediate,
                          args.max_length, tokenizer.pad_id)
    model = TinyRobertaForTokenClassification(shape, len(LABELS))
    params = sum(p.numel() for p in model.parameters())
    log(f"model: {params} parameters; training {args.steps} steps x {args.batch_size} on {args.threads} thread(s)")
    stats = train_token_classifier(model, examples, new_rng(args.seed, "batches"), args.steps, args.batch_size,
                                   args.lr, tokenizer.pad_id, log=log)
    timings["train_seconds"] = round(stats["seconds"], 1)

    # 5. Held-out evaluation (single sentences, and the same sentences as long texts).
    errors = {"heldout_seen_names": [], "heldout_unseen_names": []}
    both = EntityScore()
    metrics = {
        "heldout_seen_names": _score(model, tokenizer, test_seen, errors["heldout_seen_names"], totals=both),
        "heldout_unseen_names": _score(model, tokenizer, test_unseen, errors["heldout_unseen_names"], totals=both),
    }
    metrics["heldout_all"] = both.summary()
    metrics["heldout_all_as_long_texts"] = _score(model, tokenizer,
                                                  _long_texts(tokenizer, test_seen + test_unseen, args.max_length - 2))
    for name, m in metrics.items():
        o = m["overall"]
        log(f"{name:28s} P {o['precision']:.4f}  R {o['recall']:.4f}  F1 {o['f1']:.4f}  ({o['gold']} gold entities)")

    # 6. Demo sentences.
    demo = []
    for text, r in zip(DEMO_SENTENCES, _predict_sentences(model, tokenizer, [Sentence(t, ()) for t in DEMO_SENTENCES])):
        enc = r["encoding"]
        demo.append({
            "text": text, "ids": enc.ids,
            "tokens": [{"token": enc.tokens[i], "label": lab, "score": round(sc, 4), "start": off[0], "end": off[1]}
                       for i, lab, sc, off in zip(r["keep"], r["labels"], r["scores"], r["offsets"])],
            "entities": [{"type": e["type"], "start": e["start"], "end": e["end"], "text": text[e["start"]:e["end"]],
                          "score": round(e["score"], 4)} for e in r["entities"]],
            "logits": [[round(float(v), 5) for v in row] for row in r["logits"].tolist()],
        })
    for d in demo:
        log(f"demo: {d['text']}")
        for e in d["entities"]:
            log(f"      {e['type']:4s} [{e['start']:2d},{e['end']:2d}) {e['text']!r}  score {e['score']:.3f}")

    # 7. Write the Optimum / transformers.js layout.
    out = args.out
    os.makedirs(out, exist_ok=True)
    config = token_classification_config("RobertaForTokenClassification",
                                         roberta_config_fields(shape, tokenizer.bos_id, tokenizer.eos_id), LABELS)
    write_json(os.path.join(out, "config.json"), config, sort_keys=True)
    write_bpe_tokenizer(out, tokenizer, args.max_length, "RobertaTokenizer", clean_up_tokenization_spaces=False)
    example = tokenizer.encode(DEMO_SENTENCES[0])
    ids = torch.tensor([example.ids, example.ids], dtype=torch.long)
    inputs = {"input_ids": ids, "attention_mask": torch.ones_like(ids)}
    with plain_dense():  # export plain MatMul + Add
        proto = export_onnx(model, inputs, ["logits"], token_classification_axes(list(inputs)),
                            os.path.join(out, "onnx", "model.onnx"))
    graph = describe(proto)

    # 8. The written tokenizer.json must reproduce the ids the model was trained on.
    reread = ByteLevelBPETokenizer.from_file(os.path.join(out, "tokenizer.json"))
    for ts in tokenized:
        if reread.encode_text(ts.sentence.text).ids != ts.ids:
            raise RuntimeError(f"tokenizer.json does not reproduce training ids for {ts.sentence.text!r}")

    # 9. Model card (deterministic content only: no timings, no paths).
    card_facts = {
        "files": {p: d for p, d in file_digests(out).items() if p in WRITTEN_FILES},
        "shape": shape, "params": params, "vocab": len(tokenizer.vocab), "merges": len(tokenizer.merges),
        "mask_id": tokenizer.vocab[MASK], "metrics": metrics, "demo": demo, "graph": graph, "args": args,
        "counts": {"train": len(train_sentences), "seen": len(test_seen), "unseen": len(test_unseen),
                   "sequences": len(examples), "mean_len": mean_len},
    }
    write_text(os.path.join(out, "README.md"), _model_card(card_facts))

    digests = finish(out, t0, timings, log, 28, 9)
    log(f"training {timings['train_seconds']}s, total {timings['total_seconds']}s")
    if args.report:
        write_json(args.report, {
            "recipe": NAME, "seed": args.seed, "metrics": metrics, "demo": demo, "probes": probe_records(reread),
            "graph": graph, "timings": timings, "loss_history": stats["loss_history"], "files": digests,
            "error_examples": errors,
        })
    return 0


def _fmt_prf(m):
    return f"{m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | {m['gold']}"


def _model_card(f):
    s, a, m = f["shape"], f["args"], f["metrics"]
    rows = []
    for key, title in (("heldout_seen_names", "known names, new combinations and templates"),
                       ("heldout_unseen_names", "sentences with never-seen names"),
                       ("heldout_all", "both sets"),
                       ("heldout_all_as_long_texts",
                        f"both sets, sentences concatenated up to {a.max_length - 2} tokens")):
        rows.append(f"| {title} | {_fmt_prf(m[key]['overall'])} |")
    per_type = [f"| {t} | {_fmt_prf(m['heldout_all'][t])} |" for t in ("PER", "ORG", "LOC", "MISC")
                if t in m["heldout_all"]]
    demo_lines = []
    for d in f["demo"]:
        demo_lines.append(f"- `{d['text']}`")
        for e in d["entities"]:
            demo_lines.append(f"  - {e['type']} `{e['text']}` [{e['start']}, {e['end']}) score {e['score']:.3f}")

    def io(v):
        dims = ", ".join(str(d) for d in v["shape"])
        return f"`{v['name']}` {v['type'].replace('float', 'float32')} [{dims}]"

    inputs = ", ".join(io(i) for i in f["graph"]["inputs"])
    outputs = ", ".join(io(o) for o in f["graph"]["outputs"])
    sizes = ", ".join(f"`{p}` {d['bytes']:,} bytes" for p, d in f["files"].items())
    total = sum(d["bytes"] for d in f["files"].values())
    return f"""# ner-roberta-bpe (tiny, synthetic)

A tiny RoBERTa token-classification model with a byte-level BPE tokenizer, in the Hugging Face
Optimum / transformers.js layout, made by `models/generator/generate_models.py` for the
nlp-streams tests. Same synthetic task and sentences as `ner-bert-wordpiece`; it is a test
fixture, not a general-purpose NER model.

## Files

| file | what |
|---|---|
| `config.json` | `RobertaForTokenClassification`, `model_type` roberta, `id2label` / `label2id` |
| `tokenizer.json` | Hugging Face tokenizers file: no normalizer, `ByteLevel` pre-tokenizer and decoder, BPE (vocabulary + merges), `RobertaProcessing` (`<s> $A </s>`, `trim_offsets`) |
| `tokenizer_config.json`, `special_tokens_map.json` | `RobertaTokenizer`, `model_max_length` {a.max_length}; `<mask>` strips the white space before it (lstrip) |
| `vocab.json`, `merges.txt` | the same vocabulary and merges for the slow `RobertaTokenizer` |
| `onnx/model.onnx` | ONNX opset {f['graph']['opset']}, fp32 |

Sizes: {sizes}; {total / 1e6:.1f} MB in all (without this card).

ONNX inputs: {inputs} (no `token_type_ids`, as RoBERTa exports have). Output: {outputs}.

## Model

- RoBERTa encoder: hidden size {s.hidden_size}, {s.num_hidden_layers} layers, {s.num_attention_heads} heads,
  intermediate size {s.intermediate_size}, GELU, post-LayerNorm (eps {s.layer_norm_eps}), one token type.
- Positions as RoBERTa numbers them: from the input ids, non-pad tokens count up from
  `pad_token_id` + 1 = {s.pad_token_id + 1}, pad tokens take position {s.pad_token_id}; so
  `max_position_embeddings` = {s.max_position_embeddings} = {a.max_length} usable positions + 2, and
  `tokenizer_config.json` says `model_max_length` {a.max_length}. Texts longer than {a.max_length - 2}
  tokens need sliding windows; training sequences were packed up to that length (some starting
  mid-sentence), so every position is trained.
- {f['params']:,} parameters.

## Tokenizer

Byte-level BPE as RoBERTa and BART have it: `<s>` 0, `<pad>` 1, `</s>` 2, `<unk>` 3, the 256
byte characters (GPT-2's table: a space is `Ġ`), {f['merges']} merges learned from training-style
text without the invented names (most frequent pair first, ties to the smaller pair), `<mask>`
{f['mask_id']} last; {f['vocab']} tokens. No normalizer; the GPT-2 split (contractions, letters,
numbers, other characters, white space), `add_prefix_space` false. Every byte is a token, so no
text is ever unknown: emoji, CJK and other scripts become byte tokens, several of which can
share the span of one character. Token spans are trimmed of leading `Ġ` (`trim_offsets`), so a
word's span does not include the space before it.

## Labels

`O, B-PER, I-PER, B-ORG, I-ORG, B-LOC, I-LOC, B-MISC, I-MISC` (ids 0-8, CoNLL IOB2 tags, `O` first).
Every token carries a label: the first token of an entity is `B-X`, all later ones `I-X`.
The tokenizer has no continuing-subword prefix, so the Hugging Face pipeline decides whether a token
starts a word by the space-before heuristic (for `first`, `average` and `max`).

## Training data

The sentences of `ner-bert-wordpiece` (same generator, same seed streams): {f['counts']['train']:,} training
sentences from {len(G.TEMPLATES)} templates and gazetteers with accented and CJK names, a share
({a.pseudo_rate}) of entity slots filled with invented names; packed into {f['counts']['sequences']:,}
sequences (mean length {f['counts']['mean_len']:.1f} tokens); {a.steps} AdamW steps of batch {a.batch_size},
peak learning rate {a.lr} (linear warm-up and decay), seed {a.seed}, one CPU thread, deterministic kernels.

## Held-out evaluation

Entity-level exact match (type and character span), micro-averaged, entities decoded from
per-token argmax labels like the pipeline's `simple` strategy. First set: known names in new
combinations and {len(G.TEMPLATES_HELDOUT)} never-trained templates; second set: every sentence
contains at least one never-seen name.

| set | precision | recall | F1 | gold entities |
|---|---|---|---|---|
{chr(10).join(rows)}

Per type, both sets:

| type | precision | recall | F1 | gold entities |
|---|---|---|---|---|
{chr(10).join(per_type)}

## Demo sentences

Predictions (simple aggregation; spans are code-point offsets, equal to UTF-16 offsets here):

{chr(10).join(demo_lines)}

## Regenerate

```
{a.regenerate_command}
```

The same command on the same software (Debian python3-torch 1.13, python3-onnx 1.12) rewrites
byte-identical files. See `models/generator/README.md`.
"""
