#!/usr/bin/python3
"""Generate the project's tiny test models and benchmark-size random-weight models.

Run with Debian's system interpreter, which has python3-torch and python3-onnx:

    /usr/bin/python3 models/generator/generate_models.py ner-tiny --out models/tiny/ner-bert-wordpiece --seed 13
    /usr/bin/python3 models/generator/generate_models.py encode --tokenizer models/tiny/ner-bert-wordpiece/tokenizer.json Zoë
    /usr/bin/python3 models/generator/generate_models.py digest models/tiny/ner-bert-wordpiece

Each model kind is a recipe module in ``nlpgen/recipes`` with ``NAME``, ``HELP``,
``add_arguments(parser)`` and ``run(args)``; add a module to ``RECIPES`` to add a
subcommand. Shared pieces (tokenizer files, training loop, ONNX export,
reproducibility helpers) live in ``nlpgen``.
"""

import sys

# The generator lives inside the repository: do not leave __pycache__ directories there.
sys.dont_write_bytecode = True

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shlex  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# Pin the CPU kernels torch and its oneDNN library choose (before torch is imported),
# so that machines with AVX-512 compute exactly what AVX2 machines compute and the
# generated files stay byte-identical across the x86-64 machines we use.
os.environ.setdefault("ATEN_CPU_CAPABILITY", "avx2")
os.environ.setdefault("ONEDNN_MAX_CPU_ISA", "AVX2")

from nlpgen.recipes import bench_bert_base_ner, bench_marian_en_de, marian_tiny, minilm_ner, ner_tiny  # noqa: E402

from nlpgen.recipes import bart_tiny, bench_distilbart_cnn, roberta_ner_tiny  # noqa: E402
from nlpgen.recipes import m2m_tiny, t5_tiny  # noqa: E402

RECIPES = [ner_tiny, marian_tiny, minilm_ner, bench_bert_base_ner, bench_marian_en_de, roberta_ner_tiny, t5_tiny,
           m2m_tiny, bart_tiny, bench_distilbart_cnn]


def _encode_command(args):
    from nlpgen.tokenizer_probes import KNOWN_DEVIATIONS, PAIR_PROBES, PROBES
    from nlpgen.wordpiece import BertWordPieceTokenizer

    tokenizer = BertWordPieceTokenizer.from_file(args.tokenizer)
    if args.probes:
        items = ([("probe", t, None) for t in PROBES] + [("pair", a, b) for a, b in PAIR_PROBES]
                 + [("known-deviation", d["text"], None) for d in KNOWN_DEVIATIONS])
    else:
        items = [("arg", t, None) for t in args.text]
    for kind, text, pair in items:
        enc = tokenizer.encode(text, pair)
        record = {"kind": kind, "text": text}
        if pair is not None:
            record["pair"] = pair
        record.update({"ids": enc.ids, "tokens": enc.tokens, "offsets": enc.offsets, "type_ids": enc.type_ids,
                       "decoded": tokenizer.decode(enc.ids)})
        print(json.dumps(record, ensure_ascii=False))
    return 0


def _digest_command(args):
    from nlpgen.reproducible import file_digests

    for path, d in file_digests(args.directory).items():
        print(f"{d['sha256']}  {d['bytes']:>9d}  {path}")
    return 0


def _quantize_command(args):
    from nlpgen.quantize import quantize_directory

    for directory in args.model:
        quantize_directory(directory)
    return 0


def _ner_heldout_command(args):
    from nlpgen.recipes.ner_tiny import write_heldout_jsonl

    n = write_heldout_jsonl(args.out, args.seed)
    print(f"ner-heldout: {n} sentences -> {args.out}")
    return 0


def _regenerate_command(parser, recipe, args):
    """The command line that reproduces this run, for the model card: recipe, the
    recipe's canonical --out (so the card does not depend on where a run wrote to),
    --seed and every option changed from its default (--report does not affect the model, nor do
    the options a recipe lists in ``RUN_ONLY_OPTIONS``, such as where a download is cached)."""
    parts = ["/usr/bin/python3", "models/generator/generate_models.py", recipe.NAME, "--out", recipe.DEFAULT_OUT]
    skip = ("help", "report", "out", *getattr(recipe, "RUN_ONLY_OPTIONS", ()))
    for action in parser._actions:
        if not action.option_strings or action.dest in skip:
            continue
        value = getattr(args, action.dest)
        if action.dest == "seed" or value != action.default:
            parts += [action.option_strings[0], str(value)]
    return " ".join(shlex.quote(p) for p in parts)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    recipe_parsers = {}
    for recipe in RECIPES:
        p = sub.add_parser(recipe.NAME, help=recipe.HELP, description=recipe.__doc__)
        recipe.add_arguments(p)
        recipe_parsers[recipe.NAME] = (recipe, p)

    p = sub.add_parser("encode", help="tokenize text with a BERT WordPiece tokenizer.json (JSON lines out)")
    p.add_argument("--tokenizer", required=True, help="path to tokenizer.json")
    p.add_argument("--probes", action="store_true", help="encode the built-in tokenizer probe sentences")
    p.add_argument("text", nargs="*")

    p = sub.add_parser("digest", help="sha256 and size of every file in a directory")
    p.add_argument("directory")

    p = sub.add_parser("quantize", help="write onnx/<graph>_quantized.onnx (dynamic int8 MatMul weights) beside"
                                        " every fp32 graph of a model directory",
                       description="Dynamic int8 quantization as ONNX Runtime's quantize_dynamic does it for"
                                   " MatMul: int8 weights per output column, activations quantized at run time"
                                   " (DynamicQuantizeLinear + MatMulInteger). See nlpgen/quantize.py.")
    p.add_argument("--model", required=True, action="append",
                   help="model directory with onnx/*.onnx (repeat for several)")

    p = sub.add_parser("ner-heldout", help="write ner-tiny's two held-out sets (text + gold entities) as JSON lines")
    p.add_argument("--out", required=True, help="JSONL file to write")
    p.add_argument("--seed", type=int, default=13, help="the seed the NER model was generated with")

    args = parser.parse_args(argv)
    if args.command == "ner-heldout":
        return _ner_heldout_command(args)
    if args.command == "quantize":
        return _quantize_command(args)
    if args.command == "encode":
        return _encode_command(args)
    if args.command == "digest":
        return _digest_command(args)
    recipe, recipe_parser = recipe_parsers[args.command]
    args.regenerate_command = _regenerate_command(recipe_parser, recipe, args)
    return recipe.run(args)


if __name__ == "__main__":
    sys.exit(main())
