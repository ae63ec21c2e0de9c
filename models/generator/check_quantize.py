#!/usr/bin/python3
"""Checks of ``nlpgen/quantize.py`` without onnxruntime (Debian's Python has none).

1. A small hand-built graph with the cases real exports have: an embedding table read by ``Gather``
   and by a tied ``MatMul``, two projections of one activation, an ``If`` whose branches read an
   outer-graph weight and one branch a weight of its own. Structure is asserted (what stays float,
   what is written once, which activations share a ``DynamicQuantizeLinear``), and the fp32 and
   int8 graphs are run with ``nlpgen/onnx_torch_eval.py`` (which implements the two integer
   operators from the ONNX specification): outputs must agree within a few per cent.
2. With ``--marian DIR`` (default ``models/tiny/marian-tiny-en-de``, needs its ``*_quantized.onnx``):
   greedy ids through the int8 graphs, merged and split layouts, against the fp32 graphs, on the
   reference translation inputs.

    /usr/bin/python3 models/generator/check_quantize.py
"""

import sys

sys.dont_write_bytecode = True

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import torch  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from nlpgen.onnx_torch_eval import TorchOnnxModel, greedy_onnx  # noqa: E402
from nlpgen.quantize import quantize_model  # noqa: E402

V, D = 50, 16


def _graph_with_tied_weights_and_branches(seed=13):
    rng = np.random.default_rng(seed)

    def init(name, shape):
        return numpy_helper.from_array(rng.normal(0, 0.5, shape).astype(np.float32), name)

    float3 = [None, None, D]
    then_branch = helper.make_graph(
        [helper.make_node("MatMul", ["h", "W3"], ["then_y"]),
         helper.make_node("MatMul", ["then_y", "W4"], ["then_out"])],
        "then", [], [helper.make_tensor_value_info("then_out", TensorProto.FLOAT, float3)],
        initializer=[init("W4", (D, D))])
    else_branch = helper.make_graph(
        [helper.make_node("MatMul", ["h", "W3"], ["else_y"]),
         helper.make_node("Identity", ["else_y"], ["else_out"])],
        "else", [], [helper.make_tensor_value_info("else_out", TensorProto.FLOAT, float3)])
    nodes = [
        helper.make_node("Gather", ["E", "ids"], ["h"]),
        helper.make_node("MatMul", ["h", "Wq"], ["q"]),
        helper.make_node("MatMul", ["h", "Wk"], ["k"]),
        helper.make_node("MatMul", ["q", "Wv"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["p"], axis=-1),
        helper.make_node("MatMul", ["p", "E"], ["tied"]),  # the embedding table as a MatMul weight
        helper.make_node("If", ["cond"], ["branch"], then_branch=then_branch, else_branch=else_branch),
    ]
    graph = helper.make_graph(
        nodes, "tied_and_branches",
        [helper.make_tensor_value_info("ids", TensorProto.INT64, [None, None]),
         helper.make_tensor_value_info("cond", TensorProto.BOOL, [1])],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, float3) for n in ("k", "tied", "branch")],
        initializer=[init("E", (V, D)), init("Wq", (D, D)), init("Wk", (D, D)), init("Wv", (D, V)),
                     init("W3", (D, D))])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])


def _ops(graph):
    return [n.op_type for n in graph.node]


def check_synthetic():
    fp32 = _graph_with_tied_weights_and_branches()
    int8 = onnx.ModelProto()
    int8.CopyFrom(fp32)
    matmuls, weights = quantize_model(int8)
    onnx.checker.check_model(int8)
    g = int8.graph
    inits = {t.name: t for t in g.initializer}
    assert (matmuls, weights) == (7, 6), (matmuls, weights)
    # The table keeps its float copy for Gather; the tied MatMul reads an int8 copy.
    assert inits["E"].data_type == TensorProto.FLOAT
    assert inits["E_quantized"].data_type == TensorProto.INT8
    assert [n for n in g.node if n.op_type == "Gather"][0].input[0] == "E"
    # Weights only MatMuls read are gone as float; W3 (read by both branches) is written once, outside.
    for name in ("Wq", "Wk", "Wv", "W3"):
        assert name not in inits and inits[name + "_quantized"].data_type == TensorProto.INT8, name
    assert list(inits["W3_scale"].dims) == [D] and list(inits["W3_zero_point"].dims) == [D]
    if_node = [n for n in g.node if n.op_type == "If"][0]
    then_g = [a.g for a in if_node.attribute if a.name == "then_branch"][0]
    else_g = [a.g for a in if_node.attribute if a.name == "else_branch"][0]
    assert [t.name for t in then_g.initializer] == ["W4_quantized", "W4_scale", "W4_zero_point"]
    assert not else_g.initializer
    # h feeds Wq and Wk: one DynamicQuantizeLinear for both (plus q and p).
    assert _ops(g).count("DynamicQuantizeLinear") == 3 and "MatMul" not in _ops(g), _ops(g)
    assert _ops(then_g).count("DynamicQuantizeLinear") == 2 and "MatMul" not in _ops(then_g)
    assert _ops(else_g).count("DynamicQuantizeLinear") == 1 and "MatMul" not in _ops(else_g)

    ref, quant = TorchOnnxModel(fp32), TorchOnnxModel(int8)
    ids = torch.tensor(np.random.default_rng(1).integers(0, V, (2, 7)), dtype=torch.long)
    worst = 0.0
    for cond in (True, False):
        feeds = {"ids": ids, "cond": torch.tensor([cond])}
        a, b = ref.run(feeds), quant.run(feeds)
        for name in ("k", "tied", "branch"):
            err = float((a[name] - b[name]).abs().max() / a[name].abs().max())
            worst = max(worst, err)
            assert err < 0.05, (cond, name, err)
    print(f"check_quantize: synthetic graph OK (7 MatMuls, 6 weights; tied table kept for Gather;"
          f" If branches; worst relative error {worst:.4f})")


def check_marian(model_dir):
    from nlpgen.unigram import UnigramTokenizer

    onnx_dir = os.path.join(model_dir, "onnx")
    if not os.path.isfile(os.path.join(onnx_dir, "decoder_model_merged_quantized.onnx")):
        print(f"check_quantize: {model_dir} has no int8 graphs; skipped")
        return
    with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    with open(os.path.join(model_dir, "generation_config.json"), encoding="utf-8") as f:
        generation = json.load(f)
    tok = UnigramTokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    with open(os.path.join(root, "models/reference/inputs/translation.jsonl"), encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    same = 0
    for text in texts:
        src = tok.encode(text).ids
        fp32 = greedy_onnx(onnx_dir, src, config, generation, "merged")
        merged = greedy_onnx(onnx_dir, src, config, generation, "merged", suffix="_quantized")
        split = greedy_onnx(onnx_dir, src, config, generation, "split", suffix="_quantized")
        assert merged == split, (text, merged, split)
        same += merged == fp32
    print(f"check_quantize: {model_dir}: int8 greedy ids equal fp32 for {same}/{len(texts)} sources;"
          f" merged == split for all")
    assert same >= 0.8 * len(texts)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--marian", default="models/tiny/marian-tiny-en-de")
    args = p.parse_args()
    torch.set_num_threads(1)
    check_synthetic()
    check_marian(args.marian)
    return 0


if __name__ == "__main__":
    sys.exit(main())
