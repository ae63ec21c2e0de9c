package dev.nlpstreams.schema;

import java.io.ByteArrayOutputStream;

/** Hand-made Avro binary fragments for tests of what a decoder does with hostile input. */
public final class AvroTestBytes {

  private AvroTestBytes() {}

  /** A long as Avro writes it: zig-zag, then base-128 varint, low group first. */
  public static byte[] zigZagLong(long value) {
    long zigZag = (value << 1) ^ (value >> 63);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((zigZag & ~0x7FL) != 0) {
      out.write((int) ((zigZag & 0x7F) | 0x80));
      zigZag >>>= 7;
    }
    out.write((int) zigZag);
    return out.toByteArray();
  }

  public static byte[] concat(byte[] first, byte[] second) {
    byte[] both = new byte[first.length + second.length];
    System.arraycopy(first, 0, both, 0, first.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    return both;
  }
}
