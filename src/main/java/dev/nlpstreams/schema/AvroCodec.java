package dev.nlpstreams.schema;

import dev.nlpstreams.schema.avro.ReasonCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes and decodes one record type in Avro single-object encoding. Thread-safe. Decoding failures
 * become a {@link PayloadException} carrying the dead-letter reason, never a raw runtime exception.
 */
public final class AvroCodec<T extends SpecificRecord> {

  /** First byte of a payload in Confluent Schema Registry wire format. */
  public static final byte CONFLUENT_MAGIC = 0x0;
  private static final byte SINGLE_OBJECT_MARKER_0 = (byte) 0xC3;
  private static final byte SINGLE_OBJECT_MARKER_1 = (byte) 0x01;

  static {
    AvroReadLimits.install();
  }

  private final Schema schema;
  private final BinaryMessageEncoder<T> encoder;
  private final BinaryMessageDecoder<T> decoder;

  public AvroCodec(Schema schema) {
    this.schema = schema;
    this.encoder = new BinaryMessageEncoder<>(SpecificData.get(), schema);
    this.decoder = new BinaryMessageDecoder<>(SpecificData.get(), schema);
  }

  /**
   * Also accepts payloads written with an older (or newer) version of the schema, resolved against
   * this reader's schema by Avro's schema-resolution rules.
   */
  public AvroCodec<T> acceptingWriterSchema(Schema writerSchema) {
    decoder.addSchema(writerSchema);
    return this;
  }

  public Schema schema() {
    return schema;
  }

  public byte[] encode(T record) {
    try {
      ByteBuffer buffer = encoder.encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      // Encoding into memory only fails for a record that violates its own schema: a bug.
      throw new IllegalStateException("Cannot encode " + schema.getFullName() + ": " + e, e);
    }
  }

  public T decode(byte[] payload) throws PayloadException {
    if (payload.length >= 1 && payload[0] == CONFLUENT_MAGIC) {
      int schemaId = payload.length >= 5 ? ByteBuffer.wrap(payload, 1, 4).getInt() : -1;
      throw new PayloadException(ReasonCode.UNKNOWN_SCHEMA,
          "Payload is in Confluent Schema Registry framing (schema id " + schemaId + "), but no"
              + " schema registry is configured; produce with Avro single-object encoding or"
              + " configure a registry.", null);
    }
    if (payload.length < 2 || payload[0] != SINGLE_OBJECT_MARKER_0
        || payload[1] != SINGLE_OBJECT_MARKER_1) {
      throw new PayloadException(ReasonCode.MALFORMED_PAYLOAD,
          "Not an Avro single-object encoded " + schema.getName() + ": expected marker C3 01, found "
              + Hex.prefix(payload), null);
    }
    try {
      return decoder.decode(payload);
    } catch (MissingSchemaException e) {
      throw new PayloadException(ReasonCode.UNKNOWN_SCHEMA,
          "Unknown writer schema fingerprint for " + schema.getName() + ": " + e.getMessage(), e);
    } catch (BadHeaderException e) {
      throw new PayloadException(ReasonCode.MALFORMED_PAYLOAD, e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      // Corrupt bodies surface as many exception types depending on where the bytes go wrong
      // (EOF, bad union index, a length prefix over Avro's system limit, ...): all are malformed
      // input, never a reason to stop the stream thread.
      throw new PayloadException(ReasonCode.MALFORMED_PAYLOAD,
          "Corrupt Avro body for " + schema.getName() + ": " + e, e);
    }
  }
}
