package dev.nlpstreams.faults;

import java.nio.ByteBuffer;

/** Bytes of a ByteBuffer without moving it. */
final class Bytes {
  private Bytes() {}

  static byte[] of(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }
}
