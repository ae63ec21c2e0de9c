package dev.nlpstreams.inference;

import ai.onnxruntime.OnnxJavaType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Just enough of the protobuf wire format to write small ONNX models the application builds itself
 * (varint and length-delimited fields), so no protobuf or ONNX library is needed at run time. Field
 * numbers are those of onnx.proto (ModelProto, GraphProto, NodeProto, ...).
 */
public final class OnnxProtoWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public OnnxProtoWriter varint(int field, long value) {
    writeVarint((long) field << 3);
    writeVarint(value);
    return this;
  }

  public OnnxProtoWriter string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  public OnnxProtoWriter message(int field, OnnxProtoWriter message) {
    return bytes(field, message.bytes());
  }

  public byte[] bytes() {
    return out.toByteArray();
  }

  /** A graph input or output: name and element type, shape left unknown. */
  public static OnnxProtoWriter valueInfo(String name, OnnxJavaType type) {
    OnnxProtoWriter tensorType = new OnnxProtoWriter().varint(1, elementType(type));
    OnnxProtoWriter typeProto = new OnnxProtoWriter().message(1, tensorType);
    return new OnnxProtoWriter().string(1, name).message(2, typeProto);
  }

  /** A ModelProto (IR 8, default domain at {@code opset}) around {@code graph}. */
  public static byte[] model(OnnxProtoWriter graph, int opset) {
    OnnxProtoWriter opsetId = new OnnxProtoWriter().string(1, "").varint(2, opset);
    return new OnnxProtoWriter().varint(1, 8).string(2, "nlp-streams").message(7, graph)
        .message(8, opsetId).bytes();
  }

  /** ONNX TensorProto.DataType of a Java-side element type. */
  public static int elementType(OnnxJavaType type) {
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
      default -> throw new IllegalArgumentException("No ONNX element type for " + type);
    };
  }

  private OnnxProtoWriter bytes(int field, byte[] value) {
    writeVarint(((long) field << 3) | 2);
    writeVarint(value.length);
    out.writeBytes(value);
    return this;
  }

  private void writeVarint(long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
