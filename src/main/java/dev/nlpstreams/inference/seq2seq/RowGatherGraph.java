package dev.nlpstreams.inference.seq2seq;

import ai.onnxruntime.OnnxJavaType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A tiny ONNX graph that gathers rows (axis 0) of several tensors with one index vector: input
 * {@value #INDICES} (int64 {@code [rows]}) and {@code in.i}, output {@code out.i} =
 * {@code Gather(in.i, indices, axis=0)} for each tensor {@code i}. Run in a session with the decoder's
 * options, it re-ranks the key/value cache between decoder steps without the rows passing through the
 * Java heap (and, on a GPU, without leaving the device's memory pool).
 *
 * <p>The bytes are written here as ONNX protobuf (ModelProto, IR 8, opset 13) so no protobuf or ONNX
 * library is needed at run time; shapes are left unknown, only element types are declared.
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
    Proto graph = new Proto();
    for (int i = 0; i < types.size(); i++) {
      Proto node = new Proto();
      node.string(1, input(i));
      node.string(1, INDICES);
      node.string(2, output(i));
      node.string(3, "gather." + i);
      node.string(4, "Gather");
      Proto axis = new Proto();
      axis.string(1, "axis");
      axis.varint(3, 0);
      axis.varint(20, 2); // AttributeType INT
      node.message(5, axis);
      graph.message(1, node);
    }
    graph.string(2, "row_gather");
    graph.message(11, valueInfo(INDICES, OnnxJavaType.INT64));
    for (int i = 0; i < types.size(); i++) {
      graph.message(11, valueInfo(input(i), types.get(i)));
    }
    for (int i = 0; i < types.size(); i++) {
      graph.message(12, valueInfo(output(i), types.get(i)));
    }
    Proto opset = new Proto();
    opset.string(1, "");
    opset.varint(2, 13);
    Proto model = new Proto();
    model.varint(1, 8); // ir_version
    model.string(2, "nlp-streams");
    model.message(7, graph);
    model.message(8, opset);
    return model.bytes();
  }

  private static Proto valueInfo(String name, OnnxJavaType type) {
    Proto tensorType = new Proto();
    tensorType.varint(1, elementType(type));
    Proto typeProto = new Proto();
    typeProto.message(1, tensorType);
    Proto info = new Proto();
    info.string(1, name);
    info.message(2, typeProto);
    return info;
  }

  /** ONNX TensorProto.DataType of a Java-side element type. */
  static int elementType(OnnxJavaType type) {
    return switch (type) {
      case FLOAT -> 1;
      case UINT8 -> 2;
      case INT8 -> 3;
      case INT16 -> 5;
      case INT32 -> 6;
      case INT64 -> 7;
      case BOOL -> 9;
      case FLOAT16 -> 10;
      case DOUBLE -> 11;
      case BFLOAT16 -> 16;
      default -> throw new IllegalArgumentException("No ONNX element type for " + type
          + " in the cache gather graph");
    };
  }

  /** Just enough of the protobuf wire format: varints and length-delimited fields. */
  private static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void varint(int field, long value) {
      writeVarint((long) field << 3);
      writeVarint(value);
    }

    void string(int field, String value) {
      bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    void message(int field, Proto message) {
      bytes(field, message.bytes());
    }

    private void bytes(int field, byte[] value) {
      writeVarint(((long) field << 3) | 2);
      writeVarint(value.length);
      out.writeBytes(value);
    }

    private void writeVarint(long value) {
      long v = value;
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
