"""A small ONNX interpreter on torch tensors (no onnxruntime in Debian's Python).

It runs the operators ``torch.onnx.export`` (opset 14) writes for the tiny seq2seq
models, plus ``If`` and ``Identity`` of the merged decoder, so the generated ONNX files
can be checked in Python independently of the PyTorch module that produced them:
greedy decoding through the split decoders and through the merged decoder must give
the same ids as transformers.js (which runs ONNX Runtime).
"""

import numpy as np
import onnx
import torch
from onnx import numpy_helper

_DTYPES = {
    onnx.TensorProto.FLOAT: torch.float32, onnx.TensorProto.DOUBLE: torch.float64,
    onnx.TensorProto.INT64: torch.int64, onnx.TensorProto.INT32: torch.int32, onnx.TensorProto.BOOL: torch.bool,
    onnx.TensorProto.INT8: torch.int8, onnx.TensorProto.UINT8: torch.uint8,
}


def _tensor(proto):
    return torch.from_numpy(np.array(numpy_helper.to_array(proto)))


def _attrs(node):
    out = {}
    for a in node.attribute:
        out[a.name] = onnx.helper.get_attribute_value(a)
    return out


class TorchOnnxModel:
    def __init__(self, path_or_proto):
        self.proto = onnx.load(path_or_proto) if isinstance(path_or_proto, str) else path_or_proto
        g = self.proto.graph
        self.initializers = {t.name: _tensor(t) for t in g.initializer}
        self.input_names = [i.name for i in g.input if i.name not in self.initializers]
        self.output_names = [o.name for o in g.output]

    def run(self, feeds):
        env = dict(self.initializers)
        for name in self.input_names:
            if name not in feeds:
                raise KeyError(f"missing input {name}")
            env[name] = feeds[name]
        self._run_graph(self.proto.graph, env)
        return {name: env[name] for name in self.output_names}

    def _run_graph(self, graph, env):
        for t in graph.initializer:
            env[t.name] = _tensor(t)
        for node in graph.node:
            ins = [env[n] if n else None for n in node.input]
            outs = self._op(node, ins, env)
            for name, value in zip(node.output, outs):
                env[name] = value

    def _op(self, node, x, env):
        op, a = node.op_type, _attrs(node)
        if op == "Constant":
            return [torch.from_numpy(np.array(numpy_helper.to_array(a["value"])))]
        if op == "Identity":
            return [x[0]]
        if op == "If":
            branch = a["then_branch"] if bool(x[0].reshape(-1)[0]) else a["else_branch"]
            scope = dict(env)
            self._run_graph(branch, scope)
            return [scope[o.name] for o in branch.output]
        if op == "Gather":
            data, idx, axis = x[0], x[1].long(), a.get("axis", 0)
            axis = axis % data.dim()
            idx = torch.where(idx < 0, idx + data.size(axis), idx)
            flat = torch.index_select(data, axis, idx.reshape(-1))
            return [flat.reshape(tuple(data.shape[:axis]) + tuple(idx.shape) + tuple(data.shape[axis + 1:]))]
        if op == "Shape":
            return [torch.tensor(list(x[0].shape), dtype=torch.int64)]
        if op == "Unsqueeze":
            y = x[0]
            axes = sorted(int(v) % (y.dim() + len(x[1])) for v in x[1].tolist())
            for ax in axes:
                y = y.unsqueeze(ax)
            return [y]
        if op == "Slice":
            data, starts, ends = x[0], x[1].tolist(), x[2].tolist()
            axes = x[3].tolist() if len(x) > 3 and x[3] is not None else list(range(len(starts)))
            steps = x[4].tolist() if len(x) > 4 and x[4] is not None else [1] * len(starts)
            index = [slice(None)] * data.dim()
            for s, e, ax, st in zip(starts, ends, axes, steps):
                if st != 1:
                    raise NotImplementedError("Slice with step != 1")
                n = data.size(ax)
                s = max(0, min(n, s + n if s < 0 else s))
                e = max(0, min(n, e + n if e < 0 else e))
                index[ax % data.dim()] = slice(s, e)
            return [data[tuple(index)]]
        if op == "Cast":
            return [x[0].to(_DTYPES[a["to"]])]
        if op in ("Add", "Sub", "Mul", "Pow"):
            f = {"Add": torch.add, "Sub": torch.sub, "Mul": torch.mul, "Pow": torch.pow}[op]
            return [f(x[0], x[1])]
        if op == "Div":
            if not x[0].is_floating_point():
                return [torch.div(x[0], x[1], rounding_mode="trunc")]
            return [x[0] / x[1]]
        if op == "MatMul":
            return [torch.matmul(x[0], x[1])]
        if op == "DynamicQuantizeLinear":
            # ONNX spec: the range always includes 0; uint8; round half to even.
            v = x[0].float()
            lo, hi = min(0.0, float(v.min())), max(0.0, float(v.max()))
            scale = torch.tensor((hi - lo) / 255.0 if hi > lo else 1.0, dtype=torch.float32)
            zero_point = torch.clamp(torch.round(-lo / scale), 0, 255)
            y = torch.clamp(torch.round(v / scale) + zero_point, 0, 255)
            return [y.to(torch.uint8), scale, zero_point.to(torch.uint8)]
        if op == "MatMulInteger":
            # (A - a_zero_point) @ (B - b_zero_point) in exact integers (b_zero_point may be per column).
            a_int = x[0].to(torch.int64) - (x[2].to(torch.int64) if len(x) > 2 and x[2] is not None else 0)
            b_int = x[1].to(torch.int64) - (x[3].to(torch.int64) if len(x) > 3 and x[3] is not None else 0)
            return [torch.matmul(a_int.double(), b_int.double()).to(torch.int32)]
        if op == "Sqrt":
            return [torch.sqrt(x[0])]
        if op == "Sigmoid":
            return [torch.sigmoid(x[0])]
        if op == "Softmax":
            return [torch.softmax(x[0], dim=a.get("axis", -1))]
        if op == "ReduceMean":
            return [x[0].mean(dim=tuple(a["axes"]), keepdim=bool(a.get("keepdims", 1)))]
        if op == "Concat":
            return [torch.cat(x, dim=a["axis"])]
        if op == "Reshape":
            shape = x[1].tolist()
            shape = [x[0].size(i) if d == 0 else d for i, d in enumerate(shape)]
            return [x[0].reshape(shape)]
        if op == "Transpose":
            return [x[0].permute(*a["perm"])]
        if op == "Range":
            return [torch.arange(x[0].item(), x[1].item(), x[2].item(), dtype=x[0].dtype)]
        if op == "Greater":
            return [x[0] > x[1]]
        if op == "Where":
            return [torch.where(x[0], x[1], x[2])]
        if op == "Equal":
            return [x[0] == x[1]]
        if op == "Expand":
            shape = torch.broadcast_shapes(tuple(x[0].shape), tuple(x[1].tolist()))
            return [x[0].expand(shape)]
        if op == "ConstantOfShape":
            v = torch.from_numpy(np.array(numpy_helper.to_array(a["value"]))) if "value" in a else torch.zeros(1)
            return [torch.full(tuple(x[1 - 1].tolist()), v.item(), dtype=v.dtype)]
        raise NotImplementedError(f"ONNX operator {op}")


def _greedy_step_scores(logits, seq_len, max_length, eos_id, bad_ids):
    scores = logits[:, -1, :].clone()
    for bad in bad_ids:
        scores[:, bad] = -float("inf")
    if seq_len == max_length - 1:
        forced = torch.full_like(scores, -float("inf"))
        forced[:, eos_id] = 0
        scores = forced
    return scores


def greedy_onnx(onnx_dir, source_ids, config, generation_config, layout, suffix=""):
    """Greedy decoding of one source (ids with </s>) with the ONNX files of ``onnx_dir``;
    ``layout`` "split" (decoder_model + decoder_with_past_model) or "merged"; ``suffix``
    "_quantized" runs the int8 twins."""
    import os

    cache = greedy_onnx.__dict__.setdefault("cache", {})

    def load(name):
        key = os.path.join(onnx_dir, name + suffix + ".onnx")
        if key not in cache:
            cache[key] = TorchOnnxModel(key)
        return cache[key]

    start = generation_config["decoder_start_token_id"]
    eos = generation_config["eos_token_id"]
    max_length = generation_config["max_length"]
    bad = [ids[0] for ids in generation_config.get("bad_words_ids", []) if len(ids) == 1]
    layers, heads = config["decoder_layers"], config["decoder_attention_heads"]
    head_dim = config["d_model"] // heads
    with torch.no_grad():
        ids = torch.tensor([source_ids], dtype=torch.long)
        mask = torch.ones_like(ids)
        enc = load("encoder_model").run({"input_ids": ids, "attention_mask": mask})["last_hidden_state"]
        seq = [start]
        past = None
        while len(seq) < max_length:
            step_ids = torch.tensor([[seq[-1]]], dtype=torch.long)
            if layout == "split":
                if past is None:
                    out = load("decoder_model").run({"input_ids": step_ids, "encoder_attention_mask": mask,
                                                     "encoder_hidden_states": enc})
                else:
                    feeds = {"input_ids": step_ids, "encoder_attention_mask": mask}
                    feeds.update(past)
                    out = load("decoder_with_past_model").run(feeds)
            else:
                feeds = {"input_ids": step_ids, "encoder_attention_mask": mask, "encoder_hidden_states": enc,
                         "use_cache_branch": torch.tensor([past is not None])}
                if past is None:
                    empty = torch.zeros(1, heads, 0, head_dim)
                    for i in range(layers):
                        for kind in ("decoder", "encoder"):
                            for kv in ("key", "value"):
                                feeds[f"past_key_values.{i}.{kind}.{kv}"] = empty
                else:
                    feeds.update(past)
                out = load("decoder_model_merged").run(feeds)
            new_past = {} if past is None else dict(past)
            for name, value in out.items():
                # merged: take every present (the encoder ones are the If's Identity pass-throughs)
                if name.startswith("present.") and (".decoder." in name or past is None or layout == "merged"):
                    new_past[name.replace("present.", "past_key_values.")] = value
            past = new_past
            scores = _greedy_step_scores(out["logits"], len(seq), max_length, eos, bad)
            nxt = int(scores.argmax(dim=-1)[0])
            seq.append(nxt)
            if nxt == eos:
                break
        return seq
