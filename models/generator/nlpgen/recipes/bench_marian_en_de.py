"""Recipe ``bench-marian-en-de``: an opus-mt-en-de-sized Marian model with random weights,
for benchmarks (generated on demand, never committed).

Shape of ``Helsinki-NLP/opus-mt-en-de``: 6 encoder + 6 decoder layers, d_model 512, 8 heads,
FFN 2048, one shared vocabulary of 58101 pieces (``</s>`` 0, ``<unk>`` 1, ``<pad>`` 58100),
512 sinusoidal positions, tied LM head. Weights are drawn from the seed (normal, std 0.02);
nothing is trained, so translations are nonsense, but the compute per token is the real
compute. The Unigram vocabulary is marian-tiny's (word pieces, characters) plus generated
filler pieces (every lower-case 2- and 3-letter piece, then 4-letter ones, word-initial ``▁``
and inner forms, scored below every real piece) up to the real size. Layout and both decoder layouts exactly as
``marian-tiny`` (split ``decoder_model`` + ``decoder_with_past_model``, and the merged ``If``
decoder with one copy of the weights); generation_config.json as opus-mt's
(num_beams 4, max_length 512, bad_words_ids [[pad]], renormalize_logits).
"""

import itertools
import os
import string
import time

from ..seq2seq_probes import DEMO_SENTENCES
from ..translation_data import new_rng
from ..unigram import METASPACE, UnigramTokenizer
from .marian_tiny import ONNX_FILES, build_vocabulary as tiny_vocabulary
from .common import add_marian_shape, add_out_and_seed, add_threads_and_report, finish

NAME = "bench-marian-en-de"
HELP = "opus-mt-en-de-sized Marian model with random weights, both decoder layouts (benchmarks; not committed)"
DEFAULT_OUT = "models/bench/bench-marian-en-de"
WRITTEN_FILES = ("config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
                 "special_tokens_map.json") + tuple(os.path.join("onnx", f) for f in ONNX_FILES)


def add_arguments(p):
    add_out_and_seed(p, DEFAULT_OUT)
    p.add_argument("--vocab-size", type=int, default=58101, help="shared vocabulary size (opus-mt-en-de: 58101)")
    add_marian_shape(p, d_model=512, layers=6, heads=8, ffn=2048, max_positions=512, max_length=512)
    p.add_argument("--num-beams", type=int, default=4, help="generation_config num_beams")
    p.add_argument("--reference-length", type=int, default=16,
                   help="max_length of the greedy reference outputs in the report")
    add_threads_and_report(p, "also write a JSON report (greedy reference ids, timings) here")


def build_vocabulary(seed, size):
    """marian-tiny's pieces (``<pad>`` taken off the end), filler pieces, ``<pad>`` last."""
    pieces = tiny_vocabulary()
    assert pieces[-1][0] == "<pad>"
    pieces = pieces[:-1]
    seen = {p for p, _s in pieces}
    rng = new_rng(seed, "filler")
    candidates = []
    for lengths in ((2, 3), (4,)):  # all 2- and 3-letter pieces first, then 4-letter ones
        group = []
        for n in lengths:
            for combo in itertools.product(string.ascii_lowercase, repeat=n):
                s = "".join(combo)
                group += [METASPACE + s, s]
        group = [c for c in group if c not in seen]
        rng.shuffle(group)
        candidates += group
    need = size - 1 - len(pieces)
    if need > len(candidates):
        raise ValueError(f"vocab_size {size} needs {need} filler pieces, only {len(candidates)} available")
    base = len(pieces)
    # Below the word pieces (about -4) and above the characters' sums, distinct scores.
    pieces += [(c, round(-12.0 - 0.0001 * i, 4)) for i, c in enumerate(candidates[:need])]
    pieces.append(("<pad>", 0.0))
    return pieces, base


def decoder_step_flops(shape):
    """Multiply-adds x 2 of one decoder step (one generated token) with the KV cache, cache
    lengths ignored: self-attention Q/K/V/O, cross-attention Q/O, FFN, LM head."""
    d, f = shape.d_model, shape.ffn_dim
    per_layer = 2 * (4 * d * d + 2 * d * d + 2 * d * f)
    return shape.decoder_layers * per_layer + 2 * d * shape.vocab_size


def run(args, log=print):
    import torch

    from ..marian_files import marian_generation_config, write_marian_files
    from ..onnx_export import describe
    from ..reproducible import make_torch_deterministic, write_json, write_text
    from ..seq2seq_export import export_all
    from ..tiny_bert import plain_dense
    from ..tiny_marian import MarianShape, TinyMarian

    t0 = time.monotonic()
    make_torch_deterministic(args.seed, threads=args.threads)
    timings = {}

    pieces, base = build_vocabulary(args.seed, args.vocab_size)
    tokenizer = UnigramTokenizer(pieces)
    pad, eos = tokenizer.pad_id, tokenizer.eos_id
    log(f"vocabulary: {len(pieces)} pieces ({base} from marian-tiny, {len(pieces) - base - 1} filler), "
        f"pad {pad}, eos {eos}")

    shape = MarianShape(vocab_size=len(pieces), pad_token_id=pad, eos_token_id=eos, d_model=args.d_model,
                        encoder_layers=args.layers, decoder_layers=args.layers, heads=args.heads, ffn_dim=args.ffn,
                        max_position_embeddings=args.max_positions)
    t1 = time.monotonic()
    model = TinyMarian(shape).eval()
    params = sum(p.numel() for p in model.parameters())
    timings["init_seconds"] = round(time.monotonic() - t1, 1)
    step_flops = decoder_step_flops(shape)
    log(f"model: {params} parameters (random, seed {args.seed}); decoder step {step_flops / 1e6:.1f} MFLOP/token")

    def enc(text):
        return tokenizer.encode(text).ids

    sources = list(DEMO_SENTENCES[:4])
    reference = []
    with torch.no_grad():
        for s in sources:
            ids = torch.tensor([enc(s)], dtype=torch.long)
            out_ids = model.greedy(ids, torch.ones_like(ids), pad, eos, args.reference_length, bad_ids=(pad,))
            reference.append({"source": s, "source_ids": enc(s), "output_ids": out_ids[0].tolist()})

    out = args.out
    os.makedirs(out, exist_ok=True)
    write_marian_files(out, shape, tokenizer, model_max_length=512, max_length=args.max_length,
                       source_lang="en", target_lang="de")
    # opus-mt's generation defaults (beam search), in both files as opus-mt has them.
    config = shape.marian_config_fields()
    config.update({"max_length": args.max_length, "num_beams": args.num_beams, "transformers_version": "4.46.3"})
    write_json(os.path.join(out, "config.json"), config, sort_keys=True)
    generation = marian_generation_config(shape, args.max_length)
    generation["num_beams"] = args.num_beams
    write_json(os.path.join(out, "generation_config.json"), generation, sort_keys=True)

    example = torch.tensor([enc(DEMO_SENTENCES[1]), enc(DEMO_SENTENCES[1])], dtype=torch.long)
    t2 = time.monotonic()
    with plain_dense():
        protos = export_all(model, os.path.join(out, "onnx"), example)
    timings["export_seconds"] = round(time.monotonic() - t2, 1)
    graphs = {name: describe(p) for name, p in protos.items()}
    initializer_bytes = {name: sum(len(t.raw_data) or 0 for t in p.graph.initializer) for name, p in protos.items()}
    del protos

    reread = UnigramTokenizer.from_file(os.path.join(out, "tokenizer.json"))
    for r in reference:
        if reread.encode(r["source"]).ids != r["source_ids"]:
            raise RuntimeError(f"tokenizer.json does not reproduce ids for {r['source']!r}")
    for r in reference:
        r["output"] = reread.decode(r["output_ids"])

    write_text(os.path.join(out, "README.md"), _model_card(args, shape, params, base, step_flops, graphs))
    digests = finish(out, t0, timings, log, 36, 10)
    log(f"init {timings['init_seconds']}s, export {timings['export_seconds']}s, total {timings['total_seconds']}s")
    if args.report:
        write_json(args.report, {
            "recipe": NAME, "seed": args.seed, "params": params, "decoder_step_flops": step_flops,
            "reference_length": args.reference_length, "reference": reference, "graphs": graphs,
            "initializer_bytes": initializer_bytes, "timings": timings, "files": digests,
        })
    return 0


def _model_card(args, s, params, base, step_flops, graphs):
    def io(v):
        return ", ".join(f"`{x['name']}`" for x in v)

    return f"""---
license: apache-2.0
tags: [translation, marian, benchmark, random-weights]
---

# {NAME} (random weights, benchmark only)

opus-mt-en-de **shape** with **random weights** (seed {args.seed}, normal std {s.init_std}); nothing
is trained, translations are nonsense. Made for benchmarks: the compute per token is that of
`Helsinki-NLP/opus-mt-en-de`. Generated on demand by the nlp-streams model generator; never
committed.

| | |
|---|---|
| encoder / decoder layers | {s.encoder_layers} / {s.decoder_layers} |
| d_model / heads / FFN | {s.d_model} / {s.heads} / {s.ffn_dim} |
| vocabulary (shared) | {s.vocab_size} Unigram pieces ({base} from marian-tiny, filler, `<pad>` {s.pad_token_id} last) |
| positions | {s.max_position_embeddings} (sinusoidal) |
| parameters | {params} |
| MFLOP per decoder step | {step_flops / 1e6:.1f} (with the KV cache, attention products over the cache not counted) |
| generation | num_beams {args.num_beams}, max_length {args.max_length}, bad_words_ids [[{s.pad_token_id}]] |
| encoder inputs | {io(graphs['encoder_model']['inputs'])} |
| merged decoder inputs | {io(graphs['decoder_model_merged']['inputs'])} |

Regenerate:

```
{args.regenerate_command}
```
"""
