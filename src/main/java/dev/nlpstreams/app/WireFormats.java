package dev.nlpstreams.app;

import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.schema.OutputFraming;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.TextEventReader;
import dev.nlpstreams.schema.avro.DeadLetter;
import dev.nlpstreams.schema.confluent.ConfluentAvroReader;
import dev.nlpstreams.schema.confluent.ConfluentAvroSerializer;
import dev.nlpstreams.schema.mapping.FieldMapping;
import dev.nlpstreams.schema.mapping.TaskOptionField;
import dev.nlpstreams.schema.mapping.MappedEventReader;
import dev.nlpstreams.schema.mapping.RecordEnricher;
import dev.nlpstreams.schema.registry.HttpSchemaRegistryClient;
import dev.nlpstreams.schema.registry.RegistrySettings;
import dev.nlpstreams.schema.registry.RegistryUnavailableException;
import dev.nlpstreams.schema.registry.SchemaRegistryClient;
import dev.nlpstreams.streams.InputDecoder;
import dev.nlpstreams.streams.OutputValue;
import dev.nlpstreams.streams.SingleObjectSerializer;
import dev.nlpstreams.streams.TopologyIo;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the topology's wire formats from the configuration: with no {@code schema.registry.url}
 * everything stays in Avro single-object encoding, exactly as before; with one, input is read in
 * either framing and outputs are written as {@code nlp.output.framing} says. Users' own events
 * ({@code nlp.input.format=mapped}), enriched outputs ({@code nlp.output.mode=enriched}) and
 * serdes named by class ({@code nlp.serde.value.*}) are chosen here too.
 */
public final class WireFormats {

  private static final Logger LOG = LoggerFactory.getLogger(WireFormats.class);

  private WireFormats() {}

  public static TopologyIo topologyIo(NlpStreamsConfig config) {
    boolean pluggedIn = !config.valueDeserializerClass().isEmpty();
    boolean pluggedOut = !config.valueSerializerClass().isEmpty();
    if (!pluggedIn && !pluggedOut) {
      return builtIn(config);
    }
    // Plugged-in serdes may accept registry settings ours refuse (SASL_INHERIT, ...): read them
    // ourselves only for a side the plugged-in serdes leave to us.
    TopologyIo builtIn = pluggedIn && pluggedOut ? TopologyIo.singleObject() : builtIn(config);
    return PluggedSerdes.apply(config, builtIn);
  }

  private static TopologyIo builtIn(NlpStreamsConfig config) {
    Map<String, Object> settings = config.passThroughSettings();
    boolean registryConfigured = RegistrySettings.isConfigured(settings);
    OutputFraming framing = outputFraming(config, registryConfigured);
    FieldMapping mapping = config.mappedInput() ? fieldMapping(config) : null;
    if (!registryConfigured) {
      if (mapping == null && !config.enrichedOutput()) {
        return TopologyIo.singleObject();
      }
      MappedEventReader reader = mapping == null ? null : new MappedEventReader(mapping, null);
      InputDecoder input = reader == null ? InputDecoder.TEXT_EVENT
          : record -> reader.read(record.key(), record.value());
      Serializer<OutputValue> output = new SingleObjectSerializer();
      if (config.enrichedOutput()) {
        output = enriching(new RecordEnricher(null, null, OutputFraming.SINGLE_OBJECT), output);
      }
      return new TopologyIo(input, output);
    }
    RegistrySettings registrySettings = RegistrySettings.from(settings);
    HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(registrySettings);
    LOG.info("Schema registry {}; input {} in either framing, output framing {}",
        registrySettings, mapping == null ? "TextEvent" : "mapped by " + mapping, framing);
    return topologyIo(client, registrySettings, framing, mapping, config.enrichedOutput());
  }

  /**
   * The wire formats over a given registry client (tests count its HTTP requests); a null mapping
   * reads our TextEvent.
   */
  public static TopologyIo topologyIo(SchemaRegistryClient client, RegistrySettings settings,
      OutputFraming framing, FieldMapping mapping, boolean enriched) {
    ConfluentAvroReader confluent = new ConfluentAvroReader(client);
    TextEventReader textEvents = new TextEventReader(confluent);
    MappedEventReader mapped = mapping == null ? null : new MappedEventReader(mapping, confluent);
    InputDecoder input = record -> {
      try {
        return mapped == null ? textEvents.read(record.value())
            : mapped.read(record.key(), record.value());
      } catch (RegistryUnavailableException e) {
        // Not the record's fault: Kafka Streams replaces the thread and the record is read again.
        LOG.warn("Record {}-{}@{} waits for the schema registry and will be re-read: {}",
            record.topic(), record.partition(), record.offset(), e.getMessage());
        throw e;
      }
    };
    ConfluentAvroSerializer serializer = new ConfluentAvroSerializer(client, settings, false);
    Serializer<OutputValue> output;
    if (framing == OutputFraming.CONFLUENT) {
      output = (topic, value) -> value == null ? null : serializer.serialize(topic, value.result());
    } else {
      output = new SingleObjectSerializer();
    }
    if (enriched) {
      output = enriching(new RecordEnricher(confluent, serializer, framing), output);
    }
    return new TopologyIo(input, output);
  }

  /** Results become enriched input records; dead letters stay dead letters. */
  private static Serializer<OutputValue> enriching(RecordEnricher enricher,
      Serializer<OutputValue> plain) {
    return (topic, value) -> {
      if (value == null || value.result() instanceof DeadLetter || value.source().value() == null) {
        return plain.serialize(topic, value);
      }
      try {
        return enricher.enrich(topic, value.source().value(), value.result());
      } catch (PayloadException e) {
        // The record was read once already on its way in, so this is not the record's fault.
        throw new IllegalStateException("Cannot re-read the input of " + value.source().topic()
            + "-" + value.source().partition() + "@" + value.source().offset() + " to enrich it: "
            + e.getMessage(), e);
      }
    };
  }

  static FieldMapping fieldMapping(NlpStreamsConfig config) {
    Map<TaskOptionField, String> optionPaths = new EnumMap<>(TaskOptionField.class);
    for (TaskOptionField option : TaskOptionField.values()) {
      optionPaths.put(option, config.inputFieldPath(option.settingSuffix()));
    }
    try {
      return FieldMapping.of(config.inputFieldPath("text"), config.inputFieldPath("event.id"),
          config.inputFieldPath("language"), config.inputFieldPath("tasks"), optionPaths);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(NlpStreamsConfig.INPUT_FIELD_PREFIX + "*: " + e.getMessage());
    }
  }

  static OutputFraming outputFraming(NlpStreamsConfig config, boolean registryConfigured) {
    OutputFraming framing = OutputFraming.parse(config.outputFraming());
    if (framing == OutputFraming.CONFLUENT && !registryConfigured) {
      throw new ConfigException(NlpStreamsConfig.OUTPUT_FRAMING, config.outputFraming(),
          "Confluent framing needs a schema registry: set " + RegistrySettings.URL
              + " (or use nlp.output.framing=single-object)");
    }
    return framing.resolve(registryConfigured);
  }
}
