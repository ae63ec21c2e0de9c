package dev.nlpstreams.schema.confluent;

import dev.nlpstreams.schema.registry.RegisteredSchema;
import dev.nlpstreams.schema.registry.RegistrySettings;
import dev.nlpstreams.schema.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes specific or generic Avro records in Confluent's wire format. The subject comes from the
 * configured naming strategy; the id from registering the record's schema
 * ({@code auto.register.schemas=true}), looking it up ({@code false}), or the subject's latest
 * version ({@code use.latest.version=true}, the record then converted to that schema). Ids are
 * cached by the registry client, so a warm serializer makes no HTTP call. Thread-safe.
 */
public final class ConfluentAvroSerializer implements Serializer<Object> {

  private final SchemaRegistryClient registry;
  private final RegistrySettings settings;
  private final boolean isKey;
  private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();

  public ConfluentAvroSerializer(SchemaRegistryClient registry, RegistrySettings settings,
      boolean isKey) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.isKey = isKey;
  }

  @Override
  public byte[] serialize(String topic, Object data) {
    if (data == null) {
      return null;
    }
    if (!(data instanceof GenericContainer container)) {
      throw new SerializationException("Only Avro records can be written in Confluent framing; got "
          + data.getClass().getName());
    }
    Schema schema = container.getSchema();
    String subject = settings.subjectStrategy(isKey).subject(topic, isKey, schema);
    int id;
    Object value = data;
    if (settings.useLatestVersion()) {
      RegisteredSchema latest = registry.latest(subject);
      id = latest.id();
      if (!latest.schema().equals(schema)) {
        value = convert(data, schema, latest.schema());
        schema = latest.schema();
      }
    } else if (settings.autoRegister()) {
      id = registry.register(subject, schema);
    } else {
      id = registry.lookup(subject, schema);
    }
    return ConfluentWireFormat.frame(id, body(value, schema));
  }

  private byte[] body(Object value, Schema schema) {
    DatumWriter<Object> writer = writers.computeIfAbsent(schema, s -> value instanceof SpecificRecord
        ? new SpecificDatumWriter<>(s, SpecificData.get())
        : new GenericDatumWriter<>(s, GenericData.get()));
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer.write(value, encoder);
      encoder.flush();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("Cannot write " + schema.getFullName() + " as Avro: "
          + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /** Rewrites a record into the subject's latest schema by Avro's resolution rules. */
  private Object convert(Object value, Schema from, Schema to) {
    byte[] bytes = body(value, from);
    try {
      return new GenericDatumReader<>(from, to, GenericData.get())
          .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("use.latest.version: a " + from.getFullName()
          + " cannot be written as the subject's latest schema " + to.getFullName() + ": "
          + e.getMessage() + ". Register a compatible version or set use.latest.version=false.", e);
    }
  }
}
