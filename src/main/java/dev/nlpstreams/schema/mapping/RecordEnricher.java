package dev.nlpstreams.schema.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.OutputFraming;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.confluent.ConfluentAvroReader;
import dev.nlpstreams.schema.confluent.ConfluentAvroSerializer;
import dev.nlpstreams.schema.confluent.ConfluentWireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Enrich-in-place output: the input record as it came, with one added optional field holding the
 * result ({@code nlp_entities}, {@code nlp_translation} or {@code nlp_summary}). For Avro the
 * output schema is the writer schema plus that field (a union with null, default null, so every
 * consumer of the input schema can read the output), derived once per writer schema and result
 * type; for JSON the same field holds the result as a JSON object. Thread-safe.
 */
public final class RecordEnricher {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_DERIVED_SCHEMAS = 1_000;

  private final ConfluentAvroReader confluentReader;
  private final ConfluentAvroSerializer confluentWriter;
  private final OutputFraming framing;
  private final Map<List<Schema>, Schema> enrichedSchemas = new ConcurrentHashMap<>();
  private final Map<Schema, BinaryMessageEncoder<GenericRecord>> singleObjectEncoders =
      new ConcurrentHashMap<>();

  /**
   * @param confluentReader and {@code confluentWriter} may be null when no registry is configured
   * @param framing how to write enriched single-object TextEvents (Confluent-framed input always
   *     gives Confluent-framed output, JSON gives JSON)
   */
  public RecordEnricher(ConfluentAvroReader confluentReader, ConfluentAvroSerializer confluentWriter,
      OutputFraming framing) {
    this.confluentReader = confluentReader;
    this.confluentWriter = confluentWriter;
    this.framing = framing;
  }

  /** The added field's name for a result type: Entities -> nlp_entities. */
  public static String fieldName(Schema resultSchema) {
    return "nlp_" + resultSchema.getName().toLowerCase(Locale.ROOT);
  }

  /** The input value with the result added, in the input's own format. */
  public byte[] enrich(String topic, byte[] original, SpecificRecord result)
      throws PayloadException {
    GenericRecord genericResult = toGeneric(result);
    if (confluentReader != null && ConfluentWireFormat.looksFramed(original)) {
      GenericRecord input = (GenericRecord) confluentReader.read(original, null, false);
      return confluentWriter.serialize(topic, enriched(input, genericResult));
    }
    if (original.length >= 2 && original[0] == (byte) 0xC3 && original[1] == 0x01) {
      GenericRecord input = toGeneric(Codecs.TEXT_EVENT.decode(original));
      GenericRecord enriched = enriched(input, genericResult);
      if (framing == OutputFraming.CONFLUENT && confluentWriter != null) {
        return confluentWriter.serialize(topic, enriched);
      }
      return singleObject(enriched);
    }
    JsonNode json;
    try {
      json = JSON.readTree(original);
    } catch (IOException e) {
      json = null;
    }
    if (json instanceof ObjectNode object) {
      try {
        object.set(fieldName(result.getSchema()),
            JSON.readTree(GenericData.get().toString(genericResult)));
        return JSON.writeValueAsBytes(object);
      } catch (IOException e) {
        throw new IllegalStateException("Cannot render " + result.getSchema().getName()
            + " as JSON", e);
      }
    }
    // Only records that were read successfully reach an output, so this is a bug.
    throw new IllegalStateException("Cannot enrich an input that is neither Avro nor a JSON"
        + " object; it should have been dead-lettered on the way in");
  }

  /** The writer schema with the result field added (replacing one of that name). */
  public Schema enrichedSchema(Schema writer, Schema resultSchema) {
    List<Schema> key = List.of(writer, resultSchema);
    Schema cached = enrichedSchemas.get(key);
    if (cached != null) {
      return cached;
    }
    String name = fieldName(resultSchema);
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : writer.getFields()) {
      if (!field.name().equals(name)) {
        fields.add(new Schema.Field(field, field.schema()));
      }
    }
    fields.add(new Schema.Field(name, Schema.createUnion(Schema.create(Schema.Type.NULL),
        resultSchema), "Added by nlp-streams: the " + resultSchema.getName() + " of this record.",
        JsonProperties.NULL_VALUE));
    Schema enriched = Schema.createRecord(writer.getName(), writer.getDoc(), writer.getNamespace(),
        false, fields);
    writer.getObjectProps().forEach(enriched::addProp);
    if (enrichedSchemas.size() >= MAX_DERIVED_SCHEMAS) {
      enrichedSchemas.clear();
    }
    enrichedSchemas.put(key, enriched);
    return enriched;
  }

  private GenericRecord enriched(GenericRecord input, GenericRecord result) {
    Schema schema = enrichedSchema(input.getSchema(), result.getSchema());
    GenericRecord output = new GenericData.Record(schema);
    for (Schema.Field field : input.getSchema().getFields()) {
      if (schema.getField(field.name()) != null) {
        output.put(field.name(), input.get(field.name()));
      }
    }
    output.put(fieldName(result.getSchema()), result);
    return output;
  }

  private byte[] singleObject(GenericRecord record) {
    BinaryMessageEncoder<GenericRecord> encoder = singleObjectEncoders.computeIfAbsent(
        record.getSchema(), schema -> new BinaryMessageEncoder<>(GenericData.get(), schema));
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try {
      encoder.encode(record, out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot encode " + record.getSchema().getFullName(), e);
    }
  }

  /**
   * The same record as a generic one, logical types as their underlying values: a generated
   * class's conversions (Instant for timestamp-millis, ...) are unknown to generic writers.
   */
  private static GenericRecord toGeneric(SpecificRecord record) {
    Schema schema = record.getSchema();
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      new SpecificDatumWriter<SpecificRecord>(schema).write(record, encoder);
      encoder.flush();
      return new GenericDatumReader<GenericRecord>(schema, schema, GenericData.get())
          .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    } catch (IOException e) {
      throw new IllegalStateException("Cannot copy " + schema.getFullName(), e);
    }
  }
}
