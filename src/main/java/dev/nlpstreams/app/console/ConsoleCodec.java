package dev.nlpstreams.app.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.schema.AvroCodec;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.Hex;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.confluent.ConfluentAvroReader;
import dev.nlpstreams.schema.confluent.ConfluentAvroSerializer;
import dev.nlpstreams.schema.confluent.ConfluentWireFormat;
import dev.nlpstreams.schema.mapping.FieldMapping;
import dev.nlpstreams.schema.mapping.MappedEventReader;
import dev.nlpstreams.schema.mapping.TaskOptionField;
import dev.nlpstreams.schema.registry.HttpSchemaRegistryClient;
import dev.nlpstreams.schema.registry.RegistrySettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificRecord;

/**
 * JSON lines to and from topic values in the configured wire format: TextEvents in Confluent
 * framing when a registry is configured and single-object encoding otherwise; users' JSON events
 * as they are; any value read back as JSON, in either framing.
 */
final class ConsoleCodec {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** A JSON line with TextEvent's own field names. */
  private static final FieldMapping TEXT_EVENT_FIELDS = textEventFields();
  private static final List<AvroCodec<? extends SpecificRecord>> OUR_CONTRACTS = List.of(
      Codecs.ENTITIES, Codecs.TRANSLATION, Codecs.SUMMARY, Codecs.DEAD_LETTER, Codecs.TEXT_EVENT);

  private final NlpStreamsConfig config;
  private final ConfluentAvroReader confluentReader;
  private final ConfluentAvroSerializer confluentWriter;

  ConsoleCodec(NlpStreamsConfig config) {
    this.config = config;
    if (RegistrySettings.isConfigured(config.passThroughSettings())) {
      RegistrySettings settings = RegistrySettings.from(config.passThroughSettings());
      HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(settings);
      this.confluentReader = new ConfluentAvroReader(client);
      this.confluentWriter = new ConfluentAvroSerializer(client, settings, false);
    } else {
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

  /** The key (event id, when there is one) and value for one JSON line. */
  record Encoded(String key, byte[] value) {}

  Encoded encode(String topic, String line) throws PayloadException {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    if (config.mappedInput()) {
      // Users' JSON events go as they are: that is what the processor reads.
      return new Encoded(null, bytes);
    }
    TextEvent event = new MappedEventReader(TEXT_EVENT_FIELDS, null).read(null, bytes);
    byte[] value = confluentWriter != null ? confluentWriter.serialize(topic, event)
        : Codecs.TEXT_EVENT.encode(event);
    return new Encoded(event.getEventId(), value);
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
