"""The MiniLM graph for the ``minilm-ner`` recipe: its BERT shape, running it, grafting a head onto it.

Python here has no ONNX Runtime, so graphs run in Node (``models/generator/minilm_features.mjs``,
onnxruntime-node of the pinned transformers.js in ``models/reference``); the rows come back as
float32 through a file. The head is grafted with the onnx package: ``MatMul`` + ``Add`` from the
encoder's per-token hidden state to a new, sole graph output ``logits``.
"""

import json
import os
import subprocess

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from .tiny_bert import BertShape

HIDDEN_OUTPUT = "last_hidden_state"
FEATURES_SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "minilm_features.mjs")
# The head dim of all-MiniLM-L6-v2 is 32 (the graph scales attention by sqrt(32)): 384 / 32 heads.
_HEAD_DIM = 32


def bert_shape(proto):
    """The BertConfig of the encoder, read from its initializers' shapes."""
    dims = {t.name: list(t.dims) for t in proto.graph.initializer}

    def table(name):
        for key in (f"embeddings.{name}.weight", f"embeddings.{name}.weight_quantized"):
            if key in dims:
                return dims[key]
        raise ValueError(f"no embeddings.{name} table in the graph")

    vocab, hidden = table("word_embeddings")
    positions, _ = table("position_embeddings")
    types, _ = table("token_type_embeddings")
    layers = len({n.split(".")[2] for n in dims if n.startswith("encoder.layer.")})
    intermediate = dims["encoder.layer.0.intermediate.dense.bias"][0]
    eps = None
    for node in proto.graph.node:
        if node.op_type == "Constant" and node.output[0] == "/encoder/layer.0/output/LayerNorm/Constant_1_output_0":
            eps = float(numpy_helper.to_array(node.attribute[0].t))
    if eps is None:
        raise ValueError("cannot find the LayerNorm epsilon constant")
    return BertShape(vocab_size=vocab, hidden_size=hidden, num_hidden_layers=layers,
                     num_attention_heads=hidden // _HEAD_DIM, intermediate_size=intermediate,
                     max_position_embeddings=positions, type_vocab_size=types, pad_token_id=0,
                     layer_norm_eps=float(f"{eps:.6g}"))  # the float32 constant, as config.json writes it


def graft_token_classifier(proto, weight, bias):
    """A copy of ``proto`` whose only output is ``logits`` = last_hidden_state @ weight.T + bias.

    ``weight`` is [num_labels, hidden] (torch Linear layout), ``bias`` [num_labels], float32.
    """
    model = onnx.ModelProto()
    model.CopyFrom(proto)
    graph = model.graph
    hidden_outputs = [o for o in graph.output if o.name == HIDDEN_OUTPUT]
    if not hidden_outputs:
        raise ValueError(f"the graph declares no {HIDDEN_OUTPUT} output: {[o.name for o in graph.output]}")
    dims = hidden_outputs[0].type.tensor_type.shape.dim
    batch, seq = (d.dim_param or d.dim_value for d in dims[:2])
    num_labels = weight.shape[0]
    graph.initializer.extend([
        numpy_helper.from_array(np.ascontiguousarray(weight.T, dtype=np.float32), "classifier.weight_transposed"),
        numpy_helper.from_array(np.asarray(bias, dtype=np.float32), "classifier.bias"),
    ])
    graph.node.extend([
        helper.make_node("MatMul", [HIDDEN_OUTPUT, "classifier.weight_transposed"], ["/classifier/MatMul_output_0"],
                         name="/classifier/MatMul"),
        helper.make_node("Add", ["/classifier/MatMul_output_0", "classifier.bias"], ["logits"], name="/classifier/Add"),
    ])
    del graph.output[:]
    graph.output.append(helper.make_tensor_value_info("logits", TensorProto.FLOAT, [batch, seq, num_labels]))
    onnx.checker.check_model(model)
    return model


class NodeRunner:
    """Runs ONNX graphs through ``minilm_features.mjs`` with files in ``work_dir``."""

    def __init__(self, work_dir, node="node", node_modules=None, threads=1, log=print):
        self.work_dir = work_dir
        self.node = node
        self.node_modules = node_modules
        self.threads = threads
        self.log = log
        self._calls = 0

    def rows(self, model_path, sequences, output_name, tokenizer_dir=None, tokenizer_checks=(), batch_size=1):
        """Per-sequence [len, width] float32 arrays of ``output_name``, and the script's summary."""
        self._calls += 1
        stem = os.path.join(self.work_dir, f"run{self._calls}")
        with open(stem + ".json", "w", encoding="utf-8") as f:
            json.dump({"sequences": [list(s) for s in sequences],
                       "tokenizer_checks": [{"text": t, "ids": list(i)} for t, i in tokenizer_checks]}, f)
        cmd = [self.node, FEATURES_SCRIPT, "--model", model_path, "--input", stem + ".json", "--output", stem + ".f32",
               "--output-name", output_name, "--threads", str(self.threads), "--batch-size", str(batch_size)]
        if tokenizer_dir:
            cmd += ["--tokenizer-dir", tokenizer_dir]
        if self.node_modules:
            cmd += ["--node-modules", self.node_modules]
        try:
            done = subprocess.run(cmd, check=True, capture_output=True, text=True)
        except FileNotFoundError as e:
            raise RuntimeError(f"cannot run {self.node!r}: Node.js 20 is needed (--node PATH)") from e
        except subprocess.CalledProcessError as e:
            raise RuntimeError(f"{' '.join(cmd)} failed:\n{e.stderr.strip()}\nIf onnxruntime-node is missing, run "
                               "`cd models/reference && npm ci --ignore-scripts`.") from e
        summary = json.loads(done.stdout.strip().splitlines()[-1])
        flat = np.fromfile(stem + ".f32", dtype="<f4").reshape(-1, summary["width"])
        os.remove(stem + ".f32")
        os.remove(stem + ".json")
        out, pos = [], 0
        for s in sequences:
            out.append(flat[pos: pos + len(s)])
            pos += len(s)
        if pos != flat.shape[0]:
            raise RuntimeError(f"expected {pos} rows from {model_path}, got {flat.shape[0]}")
        return out, summary
