"""Dynamic int8 quantization of the MatMul weights of an fp32 ONNX graph.

What ONNX Runtime's ``quantize_dynamic`` does for MatMul, written here from the ONNX operator
specification because Debian has no onnxruntime Python package:

    MatMul(x, W)   with W a 2-D float initializer [K, N]
 -> DynamicQuantizeLinear(x)          -> x_q (uint8), x_scale (scalar), x_zero_point (uint8)
    MatMulInteger(x_q, W_q, x_zero_point, W_zero_point)   -> int32
    Cast(to=float)
    Mul(x_scale * W_scale)            -> the MatMul's original output name (a following bias
                                         Add is untouched)

W is quantized symmetrically per output column: ``W_scale[n] = max_k |W[k, n]| / 127``,
``W_q = round(W / W_scale)`` clipped to [-127, 127], ``W_zero_point`` a 1-D int8 vector of zeros
(MatMulInteger takes a per-column ``b_zero_point`` of shape [N]). One DynamicQuantizeLinear serves
every quantized MatMul that reads the same activation in the same graph (the Q, K and V
projections share theirs).

Graphs with ``If`` subgraphs are rewritten everywhere: Optimum's merged decoder keeps the weights
in the outer graph and both branches read them by name, so the quantized weight is written once,
into the graph that owns the float weight, and shared by every branch. A float weight that is
still read by anything else afterwards (an embedding table that ``Gather`` reads and a tied LM
head ``MatMul`` also reads) keeps its float initializer beside the int8 copy; one that nothing
reads any more is removed.
"""

import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

QUANTIZED_SUFFIX = "_quantized"
# The graph files of an Optimum export that get a quantized twin, in the order they are written.
GRAPH_FILES = ("model.onnx", "encoder_model.onnx", "decoder_model.onnx", "decoder_with_past_model.onnx",
               "decoder_model_merged.onnx")


def quantized_name(file_name):
    """``encoder_model.onnx`` -> ``encoder_model_quantized.onnx`` (the Optimum / transformers.js naming)."""
    stem, ext = os.path.splitext(file_name)
    return stem + QUANTIZED_SUFFIX + ext


def quantize_weight(w):
    """Symmetric per-column int8: returns (q int8 [K, N], scale float32 [N])."""
    w = np.asarray(w, dtype=np.float32)
    peak = np.max(np.abs(w), axis=0)
    scale = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    q = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
    return q, scale


def _subgraphs(node):
    for a in node.attribute:
        if a.type == onnx.AttributeProto.GRAPH:
            yield a.g
        elif a.type == onnx.AttributeProto.GRAPHS:
            yield from a.graphs


def _all_graphs(graph):
    yield graph
    for node in graph.node:
        for sub in _subgraphs(node):
            yield from _all_graphs(sub)


class _Names:
    """Fresh names that clash with no value, initializer or node name anywhere in the model."""

    def __init__(self, graph):
        self.used = set()
        for g in _all_graphs(graph):
            self.used.update(t.name for t in g.initializer)
            self.used.update(v.name for v in g.input)
            self.used.update(v.name for v in g.output)
            for n in g.node:
                self.used.update(n.input)
                self.used.update(n.output)
                self.used.add(n.name)

    def fresh(self, base):
        name, i = base, 1
        while name in self.used:
            name = f"{base}_{i}"
            i += 1
        self.used.add(name)
        return name


class _Quantizer:
    def __init__(self, model):
        self.model = model
        self.names = _Names(model.graph)
        # (id of the owning graph, float initializer name) -> ((q, scale, zero point names), owning graph);
        # the graph is kept so that its id cannot be reused by another graph while we run
        self.weights = {}
        self.quantized_matmuls = 0
        self.skipped = []
        self.dropped = 0

    def run(self):
        self._rewrite(self.model.graph, scopes=[])
        return self

    def _lookup(self, name, scopes):
        """The graph and initializer that ``name`` resolves to (innermost scope first)."""
        for graph, inits in reversed(scopes):
            if name in inits:
                return graph, inits[name]
        return None, None

    def _rewrite(self, graph, scopes):
        inits = {t.name: t for t in graph.initializer}
        # A name a graph computes or takes as input shadows an outer initializer of that name.
        local_values = {v.name for v in graph.input} | {o for n in graph.node for o in n.output}
        scopes = scopes + [(graph, {k: v for k, v in inits.items()})]
        activation_q = {}  # activation name -> (q, scale, zero point) in this graph
        new_nodes = []
        for node in graph.node:
            for sub in _subgraphs(node):
                self._rewrite(sub, scopes)
            if node.op_type != "MatMul" or len(node.input) != 2:
                new_nodes.append(node)
                continue
            x, w_name = node.input
            owner, w = (None, None) if w_name in local_values and w_name not in inits \
                else self._lookup(w_name, scopes)
            if w is None or w.data_type != TensorProto.FLOAT or len(w.dims) != 2:
                new_nodes.append(node)
                continue
            if self._lookup(x, scopes)[1] is not None:
                self.skipped.append(node.name or node.output[0])
                new_nodes.append(node)
                continue
            q_name, scale_name, zp_name = self._quantized_weight(owner, w)
            if x not in activation_q:
                aq = (self.names.fresh(x + "_quantized"), self.names.fresh(x + "_scale"),
                      self.names.fresh(x + "_zero_point"))
                new_nodes.append(helper.make_node("DynamicQuantizeLinear", [x], list(aq),
                                                  name=self.names.fresh(x + "_DynamicQuantizeLinear")))
                activation_q[x] = aq
            xq, x_scale, x_zp = activation_q[x]
            base = node.name or node.output[0]
            product = self.names.fresh(base + "_MatMulInteger_output")
            as_float = self.names.fresh(base + "_Cast_output")
            scale = self.names.fresh(base + "_scale")
            new_nodes.append(helper.make_node("MatMulInteger", [xq, q_name, x_zp, zp_name], [product],
                                              name=self.names.fresh(base + "_MatMulInteger")))
            new_nodes.append(helper.make_node("Cast", [product], [as_float], to=TensorProto.FLOAT,
                                              name=self.names.fresh(base + "_Cast")))
            new_nodes.append(helper.make_node("Mul", [x_scale, scale_name], [scale],
                                              name=self.names.fresh(base + "_scale_Mul")))
            new_nodes.append(helper.make_node("Mul", [as_float, scale], [node.output[0]],
                                              name=self.names.fresh(base + "_rescale_Mul")))
            self.quantized_matmuls += 1
        del graph.node[:]
        graph.node.extend(new_nodes)
        self._drop_unused_initializers(graph)

    def _quantized_weight(self, owner, w):
        key = (id(owner), w.name)
        if key not in self.weights:
            q, scale = quantize_weight(numpy_helper.to_array(w))
            names = (self.names.fresh(w.name + "_quantized"), self.names.fresh(w.name + "_scale"),
                     self.names.fresh(w.name + "_zero_point"))
            owner.initializer.extend([numpy_helper.from_array(q, names[0]),
                                      numpy_helper.from_array(scale, names[1]),
                                      numpy_helper.from_array(np.zeros(q.shape[1], dtype=np.int8), names[2])])
            self.weights[key] = (names, owner)
        return self.weights[key][0]

    def _drop_unused_initializers(self, graph):
        """Removes this graph's float weights that were quantized and that nothing reads any more
        (in this graph or any graph below it). Runs after the graph's subgraphs are rewritten."""
        quantized = {name for (owner_id, name) in self.weights if owner_id == id(graph)}
        if not quantized:
            return
        read = set()
        for sub in _all_graphs(graph):
            for n in sub.node:
                read.update(n.input)
            read.update(o.name for o in sub.output)
        dropped = quantized - read
        if not dropped:
            return
        keep = [t for t in graph.initializer if t.name not in dropped]
        del graph.initializer[:]
        graph.initializer.extend(keep)
        inputs = [v for v in graph.input if v.name not in dropped]
        del graph.input[:]
        graph.input.extend(inputs)
        self.dropped += len(dropped)


def quantize_model(model):
    """Rewrites ``model`` (a ModelProto) in place; returns (number of MatMuls quantized, weights quantized)."""
    q = _Quantizer(model).run()
    if q.skipped:
        print(f"quantize: left {len(q.skipped)} MatMul(s) with a constant first input in float: {q.skipped[:5]}")
    return q.quantized_matmuls, len(q.weights)


def quantize_file(src, dst):
    model = onnx.load(src)
    matmuls, weights = quantize_model(model)
    onnx.checker.check_model(model)
    onnx.save(model, dst)
    return matmuls, weights


def quantize_directory(model_dir, log=print):
    """Writes ``onnx/<name>_quantized.onnx`` beside every fp32 graph of an Optimum export directory."""
    onnx_dir = os.path.join(model_dir, "onnx")
    written = []
    for name in GRAPH_FILES:
        src = os.path.join(onnx_dir, name)
        if not os.path.isfile(src):
            continue
        dst = os.path.join(onnx_dir, quantized_name(name))
        matmuls, weights = quantize_file(src, dst)
        log(f"quantize: {dst}: {matmuls} MatMul(s), {weights} weight(s) int8;"
            f" {os.path.getsize(src) / 1e6:.1f} MB -> {os.path.getsize(dst) / 1e6:.1f} MB")
        written.append(dst)
    if not written:
        raise SystemExit(f"quantize: {onnx_dir} has none of {', '.join(GRAPH_FILES)}")
    return written
