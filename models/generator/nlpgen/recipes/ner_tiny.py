"""Recipe ``ner-tiny``: a tiny cased BERT WordPiece NER model trained on synthetic sentences.

Steps: generate sentences from gazetteers -> learn a WordPiece vocabulary from the
training text -> label every word piece -> pack sentences into sequences up to the
model's length -> train -> score held-out sets -> export the Optimum layout (ONNX,
config, tokenizer files) -> re-read tokenizer.json and check it reproduces the
training ids -> write the model card.
"""

import json
import os
import time
from collections import Counter

from .. import ner_gazetteers as G
from ..ner_data import (
    LABELS, Sentence, SentenceFactory, generate_sentences, heldout_pools, new_rng, pack_examples,
    tokenize_sentences, training_pools,
)
from ..ner_metrics import EntityScore, decode_entities
from ..tokenizer_probes import DEMO_SENTENCES
from ..wordpiece import BertWordPieceTokenizer, learn_wordpiece_vocab
from .common import add_bert_shape, add_out_and_seed, add_threads_and_report, finish

NAME = "ner-tiny"
HELP = "tiny cased BERT WordPiece token-classification model (synthetic PER/ORG/LOC/MISC)"
DEFAULT_OUT = "models/tiny/ner-bert-wordpiece"
WRITTEN_FILES = ("config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt",
                 os.path.join("onnx", "model.onnx"))


def add_arguments(p):
    add_out_and_seed(p, DEFAULT_OUT)
    p.add_argument("--vocab-size", type=int, default=2000,
                   help="upper bound; learning also stops when every training word is one token")
    add_bert_shape(p, hidden=128, layers=2, heads=4, intermediate=512, max_length=128)
    p.add_argument("--train-sentences", type=int, default=30000)
    p.add_argument("--pseudo-rate", type=float, default=0.35,
                   help="share of training entity slots filled with invented names")
    p.add_argument("--train-sequences", type=int, default=16000, help="packed training sequences")
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--test-sentences", type=int, default=1000, help="per held-out set")
    add_threads_and_report(p, "also write a JSON report (metrics, demo predictions, timings) here")


def _word_counts(tokenizer_parts, texts):
    normalizer, pre_tokenizer = tokenizer_parts
    counts = Counter()
    for text in texts:
        chars, origin = normalizer.normalize(text)
        for word, _s, _e in pre_tokenizer.split(chars, origin):
            counts[word] += 1
    return counts


def _concatenate(sentences):
    """One text made of several sentences joined by spaces, spans shifted."""
    parts, spans, pos = [], [], 0
    for s in sentences:
        if parts:
            parts.append(" ")
            pos += 1
        parts.append(s.text)
        spans.extend((a + pos, b + pos, t) for a, b, t in s.spans)
        pos += len(s.text)
    return Sentence("".join(parts), tuple(spans))


def _long_texts(tokenizer, sentences, budget):
    """Greedy groups of consecutive sentences whose tokens fill up to ``budget``."""
    out, group, used = [], [], 0
    for s in sentences:
        n = len(tokenizer.encode_text(s.text).ids)
        if group and used + n > budget:
            out.append(_concatenate(group))
            group, used = [], 0
        group.append(s)
        used += n
    if group:
        out.append(_concatenate(group))
    return out


def _predict_sentences(model, tokenizer, sentences):
    import torch

    from ..training import predict

    encodings = [tokenizer.encode(s.text) for s in sentences]
    logits = predict(model, [e.ids for e in encodings], tokenizer.vocab["[PAD]"])
    results = []
    for enc, lg in zip(encodings, logits):
        probs = torch.softmax(lg, dim=-1)
        best = probs.argmax(dim=-1).tolist()
        keep = [i for i, m in enumerate(enc.special_tokens_mask) if not m]
        labels = [LABELS[best[i]] for i in keep]
        scores = [float(probs[i, best[i]]) for i in keep]
        offsets = [enc.offsets[i] for i in keep]
        results.append({
            "encoding": enc, "keep": keep, "labels": labels, "scores": scores, "offsets": offsets,
            "entities": decode_entities(labels, offsets, scores),
            "logits": lg,
        })
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
            errors.append({
                "text": s.text,
                "gold": [f"{t} {s.text[a:b]!r}" for a, b, t in s.spans],
                "predicted": [f"{t} {s.text[a:b]!r}" for a, b, t in predicted],
            })
    return score.summary()


def sentence_sets(seed, train_count, test_count, pseudo_rate):
    """(training sentences, held-out set A, held-out set B), as the model was trained and scored."""
    # The training set uses training gazetteers and templates only.
    train_factory = SentenceFactory(new_rng(seed, "train"), training_pools(), G.TEMPLATES, G.NO_ENTITY_SENTENCES,
                                    filler_rate=0.15, pseudo_rate=pseudo_rate)
    train_sentences = generate_sentences(train_factory, train_count)
    train_texts = {s.text for s in train_sentences}
    # Held-out set A: known entities in combinations and templates never trained on.
    seen_factory = SentenceFactory(new_rng(seed, "test-seen"), training_pools(), G.TEMPLATES_HELDOUT,
                                   G.NO_ENTITY_SENTENCES_HELDOUT, forbidden_pairs=train_factory.used_pairs)
    test_seen = generate_sentences(seen_factory, test_count, distinct=True, exclude=train_texts)
    # Held-out set B: every sentence has at least one held-out (never seen) name.
    unseen_factory = SentenceFactory(new_rng(seed, "test-unseen"), training_pools(),
                                     G.TEMPLATES + G.TEMPLATES_HELDOUT, G.NO_ENTITY_SENTENCES_HELDOUT,
                                     unseen=heldout_pools(), unseen_rate=0.5)
    test_unseen = generate_sentences(unseen_factory, test_count, distinct=True, exclude=train_texts)
    return train_sentences, test_seen, test_unseen


def write_heldout_jsonl(path, seed, train_count=30000, test_count=1000, pseudo_rate=0.35):
    """The held-out sets as JSON lines: id, set, text, gold entities (code-point offsets), for
    scoring a model outside Python (the Java ``accuracy`` command)."""
    _train, seen, unseen = sentence_sets(seed, train_count, test_count, pseudo_rate)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for set_name, sentences in (("seen-names", seen), ("unseen-names", unseen)):
            for i, s in enumerate(sentences):
                record = {"id": f"{set_name}-{i:04d}", "set": set_name, "text": s.text,
                          "entities": [{"type": t, "start": a, "end": b} for a, b, t in s.spans]}
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return len(seen) + len(unseen)


def run(args, log=print):
    import torch

    from ..hf_files import token_classification_config, write_bert_tokenizer
    from ..onnx_export import describe, export_onnx, token_classification_axes
    from ..reproducible import file_digests, make_torch_deterministic, write_json, write_text
    from ..tiny_bert import BertShape, TinyBertForTokenClassification, plain_dense
    from ..training import train_token_classifier

    t0 = time.monotonic()
    make_torch_deterministic(args.seed, threads=args.threads)
    timings = {}

    # 1. Sentences.
    train_sentences, test_seen, test_unseen = sentence_sets(args.seed, args.train_sentences, args.test_sentences,
                                                            args.pseudo_rate)
    log(f"sentences: train {len(train_sentences)}, held-out seen-names {len(test_seen)}, "
        f"held-out unseen-names {len(test_unseen)}")

    # 2. Vocabulary from training-style text without invented names (they would fill it
    # with random syllables), plus a fixed extra alphabet that covers everything else.
    vocab_factory = SentenceFactory(new_rng(args.seed, "vocab"), training_pools(), G.TEMPLATES,
                                    G.NO_ENTITY_SENTENCES, filler_rate=0.15)
    vocab_text = [s.text for s in generate_sentences(vocab_factory, args.train_sentences)]
    bootstrap = BertWordPieceTokenizer({t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])})
    counts = _word_counts((bootstrap.normalizer, bootstrap.pre_tokenizer), vocab_text)
    alphabet = set("".join(counts)) | set(G.EXTRA_ALPHABET)
    tokens = learn_wordpiece_vocab(counts, alphabet, args.vocab_size)
    tokenizer = BertWordPieceTokenizer({t: i for i, t in enumerate(tokens)})
    log(f"vocabulary: {len(tokens)} tokens ({len(counts)} distinct words, {len(alphabet)} characters)")

    # 3. Labels on every piece, sequences packed up to the model length.
    tokenized = tokenize_sentences(tokenizer, train_sentences)
    unk = tokenizer.vocab["[UNK]"]
    assert not any(unk in ts.ids for ts in tokenized), "training text must be fully covered by the vocabulary"
    examples = pack_examples(new_rng(args.seed, "pack"), tokenized, args.max_length,
                             tokenizer.vocab["[CLS]"], tokenizer.vocab["[SEP]"], args.train_sequences)
    mean_len = sum(len(ids) for ids, _ in examples) / len(examples)
    log(f"training sequences: {len(examples)} (mean length {mean_len:.1f}, max {max(len(i) for i, _ in examples)})")

    # 4. Model and training.
    shape = BertShape(vocab_size=len(tokens), hidden_size=args.hidden, num_hidden_layers=args.layers,
                      num_attention_heads=args.heads, intermediate_size=args.intermediate,
                      max_position_embeddings=args.max_length, pad_token_id=tokenizer.vocab["[PAD]"])
    model = TinyBertForTokenClassification(shape, len(LABELS))
    params = sum(p.numel() for p in model.parameters())
    log(f"model: {params} parameters; training {args.steps} steps x {args.batch_size} on {args.threads} thread(s)")
    stats = train_token_classifier(model, examples, new_rng(args.seed, "batches"), args.steps, args.batch_size,
                                   args.lr, shape.pad_token_id, log=log)
    timings["train_seconds"] = round(stats["seconds"], 1)

    # 5. Held-out evaluation (single sentences, and the same sentences as long texts).
    budget = args.max_length - 2
    errors = {"heldout_seen_names": [], "heldout_unseen_names": []}
    both = EntityScore()
    metrics = {
        "heldout_seen_names": _score(model, tokenizer, test_seen, errors["heldout_seen_names"], totals=both),
        "heldout_unseen_names": _score(model, tokenizer, test_unseen, errors["heldout_unseen_names"], totals=both),
    }
    metrics["heldout_all"] = both.summary()
    long_texts = _long_texts(tokenizer, test_seen + test_unseen, budget)
    metrics["heldout_all_as_long_texts"] = _score(model, tokenizer, long_texts)
    for name, m in metrics.items():
        o = m["overall"]
        log(f"{name:28s} P {o['precision']:.4f}  R {o['recall']:.4f}  F1 {o['f1']:.4f}  ({o['gold']} gold entities)")

    # 6. Demo sentences.
    demo = []
    for text, r in zip(DEMO_SENTENCES, _predict_sentences(model, tokenizer, [Sentence(t, ()) for t in DEMO_SENTENCES])):
        enc = r["encoding"]
        demo.append({
            "text": text,
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
    config = token_classification_config("BertForTokenClassification", shape.bert_config_fields(), LABELS)
    write_json(os.path.join(out, "config.json"), config, sort_keys=True)
    write_bert_tokenizer(out, tokenizer, args.max_length)
    example = tokenizer.encode(DEMO_SENTENCES[0])
    ids = torch.tensor([example.ids, example.ids], dtype=torch.long)
    inputs = {"input_ids": ids, "attention_mask": torch.ones_like(ids), "token_type_ids": torch.zeros_like(ids)}
    with plain_dense():  # export plain MatMul + Add
        proto = export_onnx(model, inputs, ["logits"], token_classification_axes(list(inputs)),
                            os.path.join(out, "onnx", "model.onnx"))
    graph = describe(proto)

    # 8. The written tokenizer.json must reproduce the ids the model was trained on.
    reread = BertWordPieceTokenizer.from_file(os.path.join(out, "tokenizer.json"))
    for ts in tokenized:
        if reread.encode_text(ts.sentence.text).ids != ts.ids:
            raise RuntimeError(f"tokenizer.json does not reproduce training ids for {ts.sentence.text!r}")

    # 9. Model card (deterministic content only: no timings, no paths).
    # Words of held-out names that never occur in training text (multi-letter ones; CJK
    # ideographs are single-character words covered by the alphabet).
    heldout = heldout_pools()
    heldout_words = sorted({w for group in (heldout.first, heldout.last, heldout.full, *heldout.entries.values())
                            for entry in group for w, _s, _e in bootstrap.pre_tokenizer.split(
                                *bootstrap.normalizer.normalize(entry))
                            if len(w) > 1 and w.isalpha() and w not in counts})
    card_facts = {
        "files": {p: d for p, d in file_digests(out).items() if p in WRITTEN_FILES},
        "heldout_words": heldout_words,
        "heldout_words_in_vocab": [w for w in heldout_words if w in tokenizer.vocab],
        "shape": shape, "params": params, "vocab": len(tokens), "metrics": metrics, "demo": demo,
        "graph": graph, "args": args, "counts": {
            "train": len(train_sentences), "seen": len(test_seen), "unseen": len(test_unseen),
            "sequences": len(examples), "mean_len": mean_len,
        },
    }
    write_text(os.path.join(out, "README.md"), _model_card(card_facts))

    digests = finish(out, t0, timings, log, 28, 9)
    log(f"training {timings['train_seconds']}s, total {timings['total_seconds']}s")
    if args.report:
        write_json(args.report, {
            "recipe": NAME, "seed": args.seed, "metrics": metrics, "demo": demo, "graph": graph,
            "timings": timings, "loss_history": stats["loss_history"], "files": digests,
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
                       ("heldout_all_as_long_texts", "both sets, sentences concatenated up to 126 tokens")):
        rows.append(f"| {title} | {_fmt_prf(m[key]['overall'])} |")
    per_type = []
    for t in ("PER", "ORG", "LOC", "MISC"):
        if t in m["heldout_all"]:
            per_type.append(f"| {t} | {_fmt_prf(m['heldout_all'][t])} |")
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
    in_vocab = f["heldout_words_in_vocab"]
    in_vocab_text = (f"{len(in_vocab)} of the {len(f['heldout_words'])} held-out name words happen to be "
                     f"single vocabulary tokens ({', '.join(in_vocab)}); the others are split into pieces."
                     if in_vocab else f"none of the {len(f['heldout_words'])} held-out name words is a single "
                     "vocabulary token.")
    return f"""# ner-bert-wordpiece (tiny, synthetic)

A tiny cased BERT token-classification model in the Hugging Face Optimum /
transformers.js layout, made by `models/generator/generate_models.py` for the
nlp-streams demo and tests. It was trained from scratch in a few minutes on
synthetic sentences; it is a test fixture, not a general-purpose NER model.

## Files

| file | what |
|---|---|
| `config.json` | `BertForTokenClassification`, `id2label` / `label2id` |
| `tokenizer.json` | Hugging Face tokenizers file: BertNormalizer (cased), BertPreTokenizer, WordPiece (`##`), `[CLS] $A [SEP]` template |
| `tokenizer_config.json`, `special_tokens_map.json` | `BertTokenizer`, `model_max_length` {a.max_length} |
| `vocab.txt` | the same vocabulary, one token per line (for the slow `BertTokenizer`) |
| `onnx/model.onnx` | ONNX opset {f['graph']['opset']}, fp32 |

Sizes: {sizes}; {total / 1e6:.1f} MB in all (without this card).

ONNX inputs: {inputs}. Output: {outputs}.

## Model

- BERT encoder: hidden size {s.hidden_size}, {s.num_hidden_layers} layers, {s.num_attention_heads} heads,
  intermediate size {s.intermediate_size}, GELU, post-LayerNorm (eps {s.layer_norm_eps}).
- `max_position_embeddings` = {s.max_position_embeddings}: texts longer than 126 word pieces need
  sliding windows. Training sequences were packed up to that length (some starting mid-sentence,
  as a window does), so every position is trained.
- Vocabulary: {f['vocab']} WordPiece tokens learned from training-style text without the invented
  names (BPE-style merges over characters), plus every single character of a fixed alphabet (ASCII, Latin accented letters,
  some punctuation and symbols, a few CJK ideographs) in both word-initial and `##` form.
  Emoji, Cyrillic, Greek, Arabic, Devanagari, kana and hangul are not in it and become `[UNK]`.
- {f['params']:,} parameters.

## Labels

`O, B-PER, I-PER, B-ORG, I-ORG, B-LOC, I-LOC, B-MISC, I-MISC` (ids 0-8, CoNLL IOB2 tags, `O` first).
MISC covers nationalities, languages, sports events and awards.

Every word piece carries a label (the `label_all_tokens` scheme of the Hugging Face examples):
the first piece of an entity is `B-X`, all later pieces of it, including the `##` continuation
pieces of its first word, are `I-X`. So the `none` and `simple` aggregation strategies give whole
entities, and `first`, `average` and `max` agree on clear cases.

## Training data

Synthetic sentences from {len(G.TEMPLATES)} templates filled from small gazetteers of people (first and
last names, multi-word names with particles or hyphens, accented names such as Zoë, José, Søren,
and CJK names), places (cities and countries, multi-word ones such as New York and São Paulo, and
東京 / 北京 / 上海) and organisations (Acme Corporation, United Nations, Deutsche Bank, AT&T, ...),
plus entity-free sentences from a small filler grammar. Titles (Dr., Mr., President) are not
part of PER. A share ({a.pseudo_rate}) of the training entity slots is filled with invented names
drawn from a character model of the training names (with type cues such as "Bank", "Prize",
"New ..."), and some ordinary words with invented lower-case words labelled O, so that the model
learns from context and word shape instead of memorising the lists. {f['counts']['train']:,} training
sentences were packed into {f['counts']['sequences']:,} sequences (mean length {f['counts']['mean_len']:.1f}
pieces); {a.steps} AdamW steps of batch {a.batch_size}, peak learning rate {a.lr} (linear warm-up and
decay), seed {a.seed}, one CPU thread, deterministic kernels.

## Held-out evaluation

Entity-level exact match (type and character span), micro-averaged; entities decoded from
per-token argmax labels like the Hugging Face pipeline's `simple` strategy. The first set puts
known names (first + last name pairs never seen together in training, or known full names) into
{len(G.TEMPLATES_HELDOUT)} templates never trained on; in the second every sentence contains at least one
never-seen name (such as Düsseldorf, Hapag-Lloyd, Renée Lefèvre), in training and unseen templates. The vocabulary was learned without held-out text; {in_vocab_text}
Most errors are on the never-seen templates and names: split or mistyped pieces of unknown
words, and unknown capitalised sentence starts tagged as names.

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
