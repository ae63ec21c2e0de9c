package dev.nlpstreams.schema.confluent;

import dev.nlpstreams.schema.PayloadException;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka {@link Deserializer} over {@link ConfluentAvroReader}: generic records in the writer's
 * schema, or instances of a generated class when given its schema.
 */
public final class ConfluentAvroDeserializer implements Deserializer<Object> {

  private final ConfluentAvroReader reader;
  private final Schema readerSchema;
  private final boolean specific;

  /** Generic records, each in its writer schema. */
  public ConfluentAvroDeserializer(ConfluentAvroReader reader) {
    this(reader, null, false);
  }

  /** Records resolved to {@code readerSchema}; {@code specific} yields the generated class. */
  public ConfluentAvroDeserializer(ConfluentAvroReader reader, Schema readerSchema,
      boolean specific) {
    this.reader = reader;
    this.readerSchema = readerSchema;
    this.specific = specific;
  }

  @Override
  public Object deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      return reader.read(data, readerSchema, specific);
    } catch (PayloadException e) {
      throw new SerializationException(e.reason() + ": " + e.getMessage(), e);
    }
  }
}
