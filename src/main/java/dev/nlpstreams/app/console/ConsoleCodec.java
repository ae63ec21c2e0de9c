package dev.nlpstreams.app.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nlpstreams.app.tasks.TaskModules;
import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.schema.AvroCodec;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.Hex;
import dev.nlpstreams.schema.JsonRecordConverter;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.confluent.ConfluentAvroReader;
import dev.nlpstreams.schema.confluent.ConfluentAvroSerializer;
import dev.nlpstreams.schema.confluent.ConfluentWireFormat;
import dev.nlpstreams.schema.mapping.FieldMapping;
import dev.nlpstreams.schema.mapping.FieldPath;
import dev.nlpstreams.schema.mapping.MappedEventReader;
import dev.nlpstreams.schema.mapping.TaskOptionField;
import dev.nlpstreams.schema.registry.HttpSchemaRegistryClient;
import dev.nlpstreams.schema.registry.RegisteredSchema;
import dev.nlpstreams.schema.registry.RegistrySettings;
import dev.nlpstreams.schema.registry.SubjectNameStrategy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;

/**
 * JSON lines to and from topic values in the configured wire format: TextEvents in Confluent
 * framing when a registry is configured and single-object encoding otherwise; users' JSON events
 * as they are, or as records of their own Avro schema in Confluent framing; any value read back
 * as JSON, in either framing.
 */
final class ConsoleCodec {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** A JSON line with TextEvent's own field names. */
  private static final FieldMapping TEXT_EVENT_FIELDS = textEventFields();
  private static final List<AvroCodec<? extends SpecificRecord>> OUR_CONTRACTS = ourContracts();

  private final NlpStreamsConfig config;
  private final RegistrySettings registrySettings;
  private final HttpSchemaRegistryClient registry;
  private final ConfluentAvroReader confluentReader;
  private final ConfluentAvroSerializer confluentWriter;
  /** Mapped input in a user's Avro schema: the schema JSON lines are converted to, or null. */
  private Schema userSchema;
  /** Its registered id under the value subject when it is the subject's latest; else null. */
  private Integer userSchemaId;

  /** Every task's output contract (from its module), then dead letters and TextEvents. */
  private static List<AvroCodec<? extends SpecificRecord>> ourContracts() {
    List<AvroCodec<? extends SpecificRecord>> contracts = new java.util.ArrayList<>();
    TaskModules.ALL.forEach(module -> contracts.add(module.outputCodec()));
    contracts.add(Codecs.DEAD_LETTER);
    contracts.add(Codecs.TEXT_EVENT);
    return List.copyOf(contracts);
  }

  ConsoleCodec(NlpStreamsConfig config) {
    this.config = config;
    if (RegistrySettings.isConfigured(config.passThroughSettings())) {
      RegistrySettings settings = RegistrySettings.from(config.passThroughSettings());
      HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(settings);
      this.registrySettings = settings;
      this.registry = client;
      this.confluentReader = new ConfluentAvroReader(client);
      this.confluentWriter = new ConfluentAvroSerializer(client, settings, false);
    } else {
      this.registrySettings = null;
      this.registry = null;
      this.confluentReader = null;
      this.confluentWriter = null;
    }
  }

  private static FieldMapping textEventFields() {
    Map<TaskOptionField, String> options = new EnumMap<>(TaskOptionField.class);
    for (TaskOptionField option : TaskOptionField.values()) {
      options.put(option, "options." + option.section() + "." + option.field());
    }
    return FieldMapping.of("text", "event_id", "language", "tasks", options);
  }

  /**
   * Mapped input only: JSON lines become records of the user's schema in {@code schemaFile},
   * written the way the processor writes (registered under the value subject with
   * {@code auto.register.schemas}, looked up without it, or converted to the subject's latest
   * version with {@code use.latest.version}).
   *
   * @return what the lines will be written as, for the operator
   */
  String writeUserSchemaFromFile(Path schemaFile) throws IOException {
    requireMappedWithRegistry("--value-schema-file");
    try {
      userSchema = new Schema.Parser().parse(schemaFile.toFile());
    } catch (SchemaParseException e) {
      throw new IllegalArgumentException(schemaFile + " is not an Avro schema: " + e.getMessage(),
          e);
    }
    requireRecord(userSchema, schemaFile.toString());
    userSchemaId = null;
    return userSchema.getFullName() + " from " + schemaFile;
  }

  /**
   * Mapped input only: JSON lines become records of the latest schema registered under the
   * topic's value subject, framed with that schema's id (nothing is registered).
   */
  String writeUserSchemaLatest(String topic) {
    requireMappedWithRegistry("--value-schema-latest");
    if (registrySettings.subjectStrategy(false) != SubjectNameStrategy.TOPIC) {
      // The other strategies name the subject after the record, which is what we look for.
      throw new IllegalArgumentException("--value-schema-latest needs"
          + " value.subject.name.strategy=topic (the subject is <topic>-value); with a record"
          + " name strategy, give the schema with --value-schema-file");
    }
    String subject = SubjectNameStrategy.TOPIC.subject(topic, false, null);
    RegisteredSchema latest = registry.latest(subject);
    requireRecord(latest.schema(), "subject " + subject);
    userSchema = latest.schema();
    userSchemaId = latest.id();
    return userSchema.getFullName() + " (subject " + subject + " version " + latest.version()
        + ", id " + latest.id() + ")";
  }

  private void requireMappedWithRegistry(String option) {
    if (!config.mappedInput() || registry == null) {
      throw new IllegalArgumentException(option + " writes your own events in Confluent framing:"
          + " it needs nlp.input.format=mapped and " + RegistrySettings.URL);
    }
  }

  private static void requireRecord(Schema schema, String where) {
    if (schema.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException(where + " holds a " + schema.getType() + " schema; your"
          + " events need a record schema");
    }
  }

  /** The key (event id, when there is one) and value for one JSON line. */
  record Encoded(String key, byte[] value) {}

  Encoded encode(String topic, String line) throws PayloadException {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    if (config.mappedInput()) {
      return userSchema == null ? new Encoded(null, bytes) : encodeUserRecord(topic, bytes);
    }
    TextEvent event = new MappedEventReader(TEXT_EVENT_FIELDS, null).read(null, bytes);
    byte[] value = confluentWriter != null ? confluentWriter.serialize(topic, event)
        : Codecs.TEXT_EVENT.encode(event);
    return new Encoded(event.getEventId(), value);
  }

  /**
   * A JSON line as a record of the user's schema in Confluent framing, keyed by the mapped event
   * id when the line has one (the processor otherwise takes the key as the id).
   */
  private Encoded encodeUserRecord(String topic, byte[] line) throws PayloadException {
    JsonNode json;
    try {
      json = JSON.readTree(line);
    } catch (IOException e) {
      throw new PayloadException(ReasonCode.MALFORMED_PAYLOAD, "Not valid JSON: " + e.getMessage(),
          e);
    }
    if (json == null || !json.isObject()) {
      throw new PayloadException(ReasonCode.MALFORMED_PAYLOAD, "Not a JSON object", null);
    }
    GenericRecord record = JsonRecordConverter.convert(json, userSchema);
    byte[] value;
    if (userSchemaId != null) {
      value = ConfluentWireFormat.frame(userSchemaId, avroBody(record));
    } else {
      value = confluentWriter.serialize(topic, record);
    }
    String key = null;
    String idPath = config.inputFieldPath("event.id");
    if (!idPath.isBlank()) {
      Object id = FieldPath.parse(idPath).find(record);
      key = id == null || id == FieldPath.ABSENT ? null : id.toString();
    }
    return new Encoded(key, value);
  }

  private static byte[] avroBody(GenericRecord record) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** One record's value as JSON: decoded Avro (either framing), JSON as is, or hex. */
  JsonNode decode(byte[] value) {
    if (value == null) {
      return JSON.nullNode();
    }
    try {
      if (ConfluentWireFormat.looksFramed(value) && confluentReader != null) {
        Object record = confluentReader.read(value, null, false);
        return withDeadLetterSummary(JSON.readTree(GenericData.get().toString(record)));
      }
      if (value.length >= 2 && value[0] == (byte) 0xC3 && value[1] == 0x01) {
        for (AvroCodec<? extends SpecificRecord> codec : OUR_CONTRACTS) {
          try {
            SpecificRecord record = codec.decode(value);
            return withDeadLetterSummary(JSON.readTree(GenericData.get().toString(record)));
          } catch (PayloadException notThisOne) {
            // Try the next contract.
          }
        }
      }
      JsonNode json = JSON.readTree(value);
      if (json != null && json.isObject()) {
        return json;
      }
    } catch (PayloadException | IOException | RuntimeException e) {
      return JSON.createObjectNode().put("unreadable", e.getMessage()).put("hex",
          Hex.prefix(value, 16));
    }
    return JSON.createObjectNode().put("unreadable", "not Avro in a known framing nor JSON")
        .put("hex", Hex.prefix(value, 16));
  }

  /** Dead letters get one line that says why and where from, ahead of their fields. */
  private static JsonNode withDeadLetterSummary(JsonNode json) {
    if (json instanceof ObjectNode object && object.has("reason") && object.has("source_topic")) {
      ObjectNode out = JSON.createObjectNode();
      out.put("dead_letter", object.path("reason").asText() + " at "
          + object.path("source_topic").asText() + "-" + object.path("source_partition").asInt()
          + "@" + object.path("source_offset").asLong() + ": "
          + object.path("error_message").asText(""));
      out.setAll(object);
      return out;
    }
    return json;
  }
}
