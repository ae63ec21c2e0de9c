package dev.nlpstreams.inference.seq2seq;

import ai.onnxruntime.OnnxJavaType;
import dev.nlpstreams.inference.OnnxProtoWriter;
import java.util.List;

/**
 * A tiny ONNX graph that gathers rows (axis 0) of several tensors with one index vector: input
 * {@value #INDICES} (int64 {@code [rows]}) and {@code in.i}, output {@code out.i} =
 * {@code Gather(in.i, indices, axis=0)} for each tensor {@code i}. Run in a session with the decoder's
 * options, it re-ranks the key/value cache between decoder steps without the rows passing through the
 * Java heap. Shapes are left unknown, only element types are declared (opset 13).
 */
final class RowGatherGraph {
  static final String INDICES = "indices";

  private RowGatherGraph() {}

  static String input(int tensor) {
    return "in." + tensor;
  }

  static String output(int tensor) {
    return "out." + tensor;
  }

  /** The serialized model gathering tensors of the given element types, in order. */
  static byte[] model(List<OnnxJavaType> types) {
    for (OnnxJavaType type : types) {
      try {
        OnnxProtoWriter.elementType(type);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(e.getMessage() + " in the cache gather graph", e);
      }
    }
    OnnxProtoWriter graph = new OnnxProtoWriter();
    for (int i = 0; i < types.size(); i++) {
      OnnxProtoWriter axis = new OnnxProtoWriter().string(1, "axis").varint(3, 0)
          .varint(20, 2); // AttributeProto.type INT
      graph.message(1, new OnnxProtoWriter().string(1, input(i)).string(1, INDICES)
          .string(2, output(i)).string(3, "gather." + i).string(4, "Gather").message(5, axis));
    }
    graph.string(2, "row_gather");
    graph.message(11, OnnxProtoWriter.valueInfo(INDICES, OnnxJavaType.INT64));
    for (int i = 0; i < types.size(); i++) {
      graph.message(11, OnnxProtoWriter.valueInfo(input(i), types.get(i)));
    }
    for (int i = 0; i < types.size(); i++) {
      graph.message(12, OnnxProtoWriter.valueInfo(output(i), types.get(i)));
    }
    return OnnxProtoWriter.model(graph, 13);
  }
}
