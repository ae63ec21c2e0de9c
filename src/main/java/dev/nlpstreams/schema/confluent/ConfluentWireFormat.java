package dev.nlpstreams.schema.confluent;

import java.nio.ByteBuffer;

/** The framing itself: {@code 0x00}, schema id (int32, big-endian), Avro binary body. */
public final class ConfluentWireFormat {

  public static final byte MAGIC_BYTE = 0x0;
  public static final int HEADER_LENGTH = 5;

  private ConfluentWireFormat() {}

  /** Whether the payload starts like a Confluent-framed value (it may still be truncated). */
  public static boolean looksFramed(byte[] payload) {
    return payload != null && payload.length >= 1 && payload[0] == MAGIC_BYTE;
  }

  /** The schema id of a framed payload; the caller checked {@link #looksFramed}. */
  public static int schemaId(byte[] payload) {
    if (payload.length < HEADER_LENGTH) {
      throw new IllegalArgumentException("A Confluent-framed payload has at least "
          + HEADER_LENGTH + " bytes (magic byte and schema id); this one has " + payload.length);
    }
    return ByteBuffer.wrap(payload, 1, 4).getInt();
  }

  /** The framed payload for a body written with the schema registered under {@code schemaId}. */
  public static byte[] frame(int schemaId, byte[] body) {
    return ByteBuffer.allocate(HEADER_LENGTH + body.length)
        .put(MAGIC_BYTE).putInt(schemaId).put(body).array();
  }
}
