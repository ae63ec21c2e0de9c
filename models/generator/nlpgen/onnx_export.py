"""ONNX export with the input/output names and dynamic axes Optimum gives its exports."""

import os

import onnx
import torch

OPSET = 14


def export_onnx(model, inputs, output_names, dynamic_axes, path, opset=OPSET):
    """Export ``model`` called with the tensors of ``inputs`` (an ordered dict name ->
    example tensor, in the order of the forward() parameters), then check the file."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    model.eval()
    with torch.no_grad():
        torch.onnx.export(
            model,
            tuple(inputs.values()),
            path,
            input_names=list(inputs),
            output_names=list(output_names),
            dynamic_axes=dynamic_axes,
            opset_version=opset,
            do_constant_folding=True,
            export_params=True,
        )
    proto = onnx.load(path)
    onnx.checker.check_model(proto)
    declared = [i.name for i in proto.graph.input]
    if declared != list(inputs):
        raise RuntimeError(f"exported inputs {declared} differ from {list(inputs)}")
    return proto


def token_classification_axes(input_names):
    axes = {name: {0: "batch_size", 1: "sequence_length"} for name in input_names}
    axes["logits"] = {0: "batch_size", 1: "sequence_length"}
    return axes


def describe(proto):
    """Inputs and outputs with element types and symbolic/fixed dims, for reports."""

    def dims(value_info):
        return [d.dim_param or d.dim_value for d in value_info.type.tensor_type.shape.dim]

    def elem(value_info):
        return onnx.TensorProto.DataType.Name(value_info.type.tensor_type.elem_type).lower()

    return {
        "inputs": [{"name": v.name, "type": elem(v), "shape": dims(v)} for v in proto.graph.input],
        "outputs": [{"name": v.name, "type": elem(v), "shape": dims(v)} for v in proto.graph.output],
        "opset": [o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")][0],
    }
