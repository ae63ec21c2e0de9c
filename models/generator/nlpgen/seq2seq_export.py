"""Optimum seq2seq ONNX layout: encoder, split decoders, and the merged ``If`` decoder.

``onnx/encoder_model.onnx``            input_ids, attention_mask -> last_hidden_state
``onnx/decoder_model.onnx``            input_ids, encoder_attention_mask, encoder_hidden_states
                                       -> logits, present.{i}.decoder.key/value, present.{i}.encoder.key/value
``onnx/decoder_with_past_model.onnx``  input_ids, encoder_attention_mask, past_key_values.{i}.decoder/encoder.key/value
                                       -> logits, present.{i}.decoder.key/value
``onnx/decoder_model_merged.onnx``     inputs of both plus use_cache_branch (bool [1]); an ``If`` whose then-branch
                                       is the with-past graph (encoder presents = Identity of the encoder pasts)
                                       and else-branch the no-past graph; weights once, in the outer graph.
"""

import copy
import hashlib
import os

import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

from .onnx_export import export_onnx
from .tiny_marian import DecoderExport, DecoderWithPastExport, EncoderExport, decoder_io_names


def export_encoder(model, path, example_ids):
    inputs = {"input_ids": example_ids, "attention_mask": torch.ones_like(example_ids)}
    axes = {"input_ids": {0: "batch_size", 1: "encoder_sequence_length"},
            "attention_mask": {0: "batch_size", 1: "encoder_sequence_length"},
            "last_hidden_state": {0: "batch_size", 1: "encoder_sequence_length"}}
    proto = export_onnx(EncoderExport(model), inputs, ["last_hidden_state"], axes, path)
    # torch names the hidden axis after an internal node; it is the fixed d_model.
    dim = proto.graph.output[0].type.tensor_type.shape.dim[2]
    dim.Clear()
    dim.dim_value = model.shape.d_model
    onnx.checker.check_model(proto)
    onnx.save(proto, path)
    return proto


def _example_encoder_states(model, example_ids):
    with torch.no_grad():
        mask = torch.ones_like(example_ids)
        return mask, model.encode(example_ids, mask)


def export_decoder(model, path, example_ids):
    n = len(model.decoder_layers)
    _past, present_all, _present_dec = decoder_io_names(n)
    mask, enc = _example_encoder_states(model, example_ids)
    dec_ids = torch.full((example_ids.size(0), 3), model.shape.pad_token_id, dtype=torch.long)
    inputs = {"input_ids": dec_ids, "encoder_attention_mask": mask, "encoder_hidden_states": enc}
    axes = {"input_ids": {0: "batch_size", 1: "decoder_sequence_length"},
            "encoder_attention_mask": {0: "batch_size", 1: "encoder_sequence_length"},
            "encoder_hidden_states": {0: "batch_size", 1: "encoder_sequence_length"},
            "logits": {0: "batch_size", 1: "decoder_sequence_length"}}
    for name in present_all:
        seq = "decoder_sequence_length" if ".decoder." in name else "encoder_sequence_length_out"
        axes[name] = {0: "batch_size", 2: seq}
    return export_onnx(DecoderExport(model), inputs, ["logits"] + present_all, axes, path)


def export_decoder_with_past(model, path, example_ids):
    n = len(model.decoder_layers)
    past_names, _present_all, present_dec = decoder_io_names(n)
    mask, enc = _example_encoder_states(model, example_ids)
    b = example_ids.size(0)
    with torch.no_grad():
        prefix = torch.full((b, 3), model.shape.pad_token_id, dtype=torch.long)
        enc_kv = model.encoder_kv(enc)
        _logits, presents = model.decode(prefix, mask, enc_kv)
    past = []
    for (dk, dv), (ek, ev) in zip(presents, enc_kv):
        past += [dk, dv, ek, ev]
    inputs = {"input_ids": torch.full((b, 1), 5, dtype=torch.long), "encoder_attention_mask": mask}
    inputs.update(zip(past_names, past))
    axes = {"input_ids": {0: "batch_size", 1: "decoder_sequence_length"},
            "encoder_attention_mask": {0: "batch_size", 1: "encoder_sequence_length"},
            "logits": {0: "batch_size", 1: "decoder_sequence_length"}}
    for name in past_names:
        seq = "past_decoder_sequence_length" if ".decoder." in name else "encoder_sequence_length_out"
        axes[name] = {0: "batch_size", 2: seq}
    for name in present_dec:
        axes[name] = {0: "batch_size", 2: "past_decoder_sequence_length + decoder_sequence_length"}
    return export_onnx(DecoderWithPastExport(model), inputs, ["logits"] + present_dec, axes, path)


def _tensor_key(t):
    arr = numpy_helper.to_array(t)
    return (t.data_type, tuple(t.dims), hashlib.sha256(arr.tobytes()).hexdigest())


def _branch(graph, prefix, outer_names, init_names, extra_identity=()):
    """A copy of ``graph`` as an If branch: no inputs, no initializers (mapped to the
    shared outer initializers by ``init_names``), every internal name prefixed,
    outputs renamed; ``extra_identity`` adds (outer input, output name) pass-throughs."""
    g = copy.deepcopy(graph)
    rename = dict(init_names)

    def name_of(n):
        if not n:
            return n
        if n in rename:
            return rename[n]
        if n in outer_names:
            return n
        rename[n] = prefix + n
        return rename[n]

    for node in g.node:
        node.name = prefix + (node.name or node.op_type)
        for i, n in enumerate(node.input):
            node.input[i] = name_of(n)
        for i, n in enumerate(node.output):
            node.output[i] = name_of(n)
        for attr in node.attribute:
            if attr.type in (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS):
                raise RuntimeError("nested subgraphs are not expected in the decoder exports")
    for vi in g.value_info:
        vi.name = name_of(vi.name)
    outputs = []
    for out in g.output:
        o = copy.deepcopy(out)
        o.name = name_of(out.name)
        outputs.append(o)
    for src, out_name in extra_identity:
        new = prefix + out_name
        g.node.append(helper.make_node("Identity", [src], [new], name=prefix + "identity_" + out_name))
        outputs.append((out_name, new))
    branch = helper.make_graph(list(g.node), prefix.strip("_/") or "branch", [], [], value_info=list(g.value_info))
    return branch, outputs


def _io_value(name, like):
    v = copy.deepcopy(like)
    v.name = name
    return v


def _constants_to_initializers(graph, min_elements=64):
    """A copy of ``graph`` whose large Constant nodes (the sinusoidal position table) are
    initializers, so that the merged model stores them once too."""
    g = copy.deepcopy(graph)
    keep = []
    for node in g.node:
        value = next((a.t for a in node.attribute if a.name == "value"), None) if node.op_type == "Constant" else None
        if value is not None and numpy_helper.to_array(value).size >= min_elements:
            t = copy.deepcopy(value)
            t.name = node.output[0]
            g.initializer.append(t)
        else:
            keep.append(node)
    del g.node[:]
    g.node.extend(keep)
    return g


def build_merged_decoder(decoder_proto, with_past_proto, n_layers):
    """The Optimum merged decoder from the two split decoder graphs."""
    past_names, present_all, _present_dec = decoder_io_names(n_layers)
    dg = _constants_to_initializers(decoder_proto.graph)
    pg = _constants_to_initializers(with_past_proto.graph)
    d_inputs = {i.name: i for i in dg.input}
    p_inputs = {i.name: i for i in pg.input}
    d_outputs = {o.name: o for o in dg.output}
    p_outputs = {o.name: o for o in pg.output}

    # Shared initializers, deduplicated by content (the two exports name them differently).
    shared, by_key = [], {}
    init_maps = []
    for graph, tag in ((pg, "p"), (dg, "d")):
        m = {}
        for t in graph.initializer:
            key = _tensor_key(t)
            if key not in by_key:
                new = copy.deepcopy(t)
                new.name = f"shared_{len(shared)}_{t.name}".replace("::", "_")
                by_key[key] = new.name
                shared.append(new)
            m[t.name] = by_key[key]
        init_maps.append(m)

    outer_inputs = (["input_ids", "encoder_attention_mask", "encoder_hidden_states"] + past_names
                    + ["use_cache_branch"])
    outer = set(outer_inputs)
    then_g, then_out = _branch(pg, "with_past/", outer, init_maps[0],
                               extra_identity=[(n.replace("present", "past_key_values"), n)
                                               for n in present_all if ".encoder." in n])
    else_g, else_out = _branch(dg, "no_past/", outer, init_maps[1])

    def order(outs, graph_outputs):
        # outs: renamed ValueInfo copies of the graph outputs, then (name, new) identities
        named = {}
        infos = [o for o in outs if not isinstance(o, tuple)]
        for orig, info in zip(graph_outputs, infos):
            named[orig.name] = info
        for o in outs:
            if isinstance(o, tuple):
                like = p_inputs[o[0].replace("present", "past_key_values")]
                named[o[0]] = _io_value(o[1], like)
        return [named[n] for n in ["logits"] + present_all]

    then_g.output.extend(order(then_out, pg.output))
    else_g.output.extend(order(else_out, dg.output))

    inputs = []
    for name in outer_inputs:
        if name == "use_cache_branch":
            inputs.append(helper.make_tensor_value_info(name, TensorProto.BOOL, [1]))
        elif name in d_inputs:
            inputs.append(copy.deepcopy(d_inputs[name]))
        else:
            inputs.append(copy.deepcopy(p_inputs[name]))
    outputs = []
    for name in ["logits"] + present_all:
        like = d_outputs[name]
        v = copy.deepcopy(like)
        dims = v.type.tensor_type.shape.dim
        # Sequence axes differ between the branches: give the merged outputs their own names.
        if name == "logits":
            dims[1].dim_param = "decoder_sequence_length"
        elif ".decoder." in name:
            dims[2].dim_param = "present_decoder_sequence_length"
        else:
            dims[2].dim_param = "encoder_sequence_length_out"
        outputs.append(v)
    if_node = helper.make_node("If", ["use_cache_branch"], ["logits"] + present_all, name="optimum::if",
                               then_branch=then_g, else_branch=else_g)
    graph = helper.make_graph([if_node], "merged_decoder", inputs, outputs, initializer=shared)
    model = helper.make_model(graph, opset_imports=list(decoder_proto.opset_import),
                              producer_name=decoder_proto.producer_name, producer_version=decoder_proto.producer_version)
    model.ir_version = decoder_proto.ir_version
    onnx.checker.check_model(model)
    return model


def export_all(model, onnx_dir, example_ids):
    """Write the four files; returns {name: proto}."""
    os.makedirs(onnx_dir, exist_ok=True)
    protos = {"encoder_model": export_encoder(model, os.path.join(onnx_dir, "encoder_model.onnx"), example_ids),
              "decoder_model": export_decoder(model, os.path.join(onnx_dir, "decoder_model.onnx"), example_ids),
              "decoder_with_past_model": export_decoder_with_past(
                  model, os.path.join(onnx_dir, "decoder_with_past_model.onnx"), example_ids)}
    merged = build_merged_decoder(protos["decoder_model"], protos["decoder_with_past_model"],
                                  len(model.decoder_layers))
    path = os.path.join(onnx_dir, "decoder_model_merged.onnx")
    onnx.save(merged, path)
    protos["decoder_model_merged"] = merged
    return protos
