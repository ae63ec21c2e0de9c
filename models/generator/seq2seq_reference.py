#!/usr/bin/python3
"""Python reference for a generated seq2seq (Marian) directory, without onnxruntime.

Prints JSON: the ids, tokens and decoded text of the tokenizer probes (our Unigram
tokenizer reading the directory's tokenizer.json), and greedy translations of the demo
sentences computed from the ONNX files by a small torch-based ONNX interpreter
(nlpgen/onnx_torch_eval.py), once through the split decoders (decoder_model +
decoder_with_past_model) and once through decoder_model_merged. Used by
verify_seq2seq_with_transformersjs.mjs.

    /usr/bin/python3 models/generator/seq2seq_reference.py --model-dir models/tiny/marian-tiny-en-de
"""

import sys

sys.dont_write_bytecode = True

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402

os.environ.setdefault("ATEN_CPU_CAPABILITY", "avx2")
os.environ.setdefault("ONEDNN_MAX_CPU_ISA", "AVX2")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from nlpgen.seq2seq_probes import DEMO_SENTENCES, EXTRA_SOURCES, TOKENIZER_PROBES  # noqa: E402
from nlpgen.unigram import UnigramTokenizer  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model-dir", required=True)
    p.add_argument("--layouts", default="split,merged")
    args = p.parse_args(argv)

    import torch

    from nlpgen.onnx_torch_eval import greedy_onnx

    torch.set_num_threads(1)
    d = args.model_dir
    tok = UnigramTokenizer.from_file(os.path.join(d, "tokenizer.json"))
    with open(os.path.join(d, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    with open(os.path.join(d, "generation_config.json"), encoding="utf-8") as f:
        gen = json.load(f)
    probes = []
    for text in TOKENIZER_PROBES:
        e = tok.encode(text)
        probes.append({"text": text, "ids": e.ids, "tokens": e.tokens, "decoded": tok.decode(e.ids)})
    translations = []
    for text in DEMO_SENTENCES + EXTRA_SOURCES:
        src = tok.encode(text).ids
        row = {"source": text, "source_ids": src}
        for layout in args.layouts.split(","):
            ids = greedy_onnx(os.path.join(d, "onnx"), src, config, gen, layout)
            row[layout] = {"ids": ids, "text": tok.decode(ids)}
        translations.append(row)
    json.dump({"probes": probes, "translations": translations}, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
