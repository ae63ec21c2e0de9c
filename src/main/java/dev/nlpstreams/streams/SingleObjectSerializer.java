package dev.nlpstreams.streams;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/** Writes a result in Avro single-object encoding (marker C3 01, schema fingerprint, body). */
public final class SingleObjectSerializer implements Serializer<OutputValue> {

  private final Map<Schema, BinaryMessageEncoder<SpecificRecord>> encoders =
      new ConcurrentHashMap<>();

  @Override
  public byte[] serialize(String topic, OutputValue value) {
    if (value == null) {
      return null;
    }
    SpecificRecord record = value.result();
    BinaryMessageEncoder<SpecificRecord> encoder = encoders.computeIfAbsent(record.getSchema(),
        schema -> new BinaryMessageEncoder<>(SpecificData.get(), schema));
    try {
      ByteBuffer buffer = encoder.encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      // Encoding into memory only fails for a record that violates its own schema: a bug.
      throw new IllegalStateException("Cannot encode " + record.getSchema().getFullName(), e);
    }
  }
}
