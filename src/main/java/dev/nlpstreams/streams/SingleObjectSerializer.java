package dev.nlpstreams.streams;

import dev.nlpstreams.schema.AvroCodec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/** Writes a result in Avro single-object encoding (marker C3 01, schema fingerprint, body). */
public final class SingleObjectSerializer implements Serializer<OutputValue> {

  private final Map<Schema, AvroCodec<SpecificRecord>> codecs = new ConcurrentHashMap<>();

  @Override
  public byte[] serialize(String topic, OutputValue value) {
    if (value == null) {
      return null;
    }
    SpecificRecord record = value.result();
    return codecs.computeIfAbsent(record.getSchema(), AvroCodec::new).encode(record);
  }
}
