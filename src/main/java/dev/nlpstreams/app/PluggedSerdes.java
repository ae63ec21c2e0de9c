package dev.nlpstreams.app;

import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.schema.AvroReadLimits;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.mapping.FieldMapping;
import dev.nlpstreams.schema.mapping.MappedEventReader;
import dev.nlpstreams.schema.registry.RegistryUnavailableException;
import dev.nlpstreams.streams.InputDecoder;
import dev.nlpstreams.streams.OutputValue;
import dev.nlpstreams.streams.TopologyIo;
import java.io.IOException;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Serdes named by class ({@code nlp.serde.value.deserializer}, {@code nlp.serde.value.serializer})
 * in place of the built-in wire formats, for example Confluent's {@code KafkaAvroDeserializer} and
 * {@code KafkaAvroSerializer}. They are configured like any Kafka serde, with every non-nlp.*
 * setting.
 */
final class PluggedSerdes {

  private PluggedSerdes() {}

  static TopologyIo apply(NlpStreamsConfig config, TopologyIo builtIn) {
    InputDecoder input = builtIn.input();
    Serializer<OutputValue> output = builtIn.output();
    if (!config.valueDeserializerClass().isEmpty()) {
      AvroReadLimits.install(); // their Avro decoder allocates what a payload declares, too
      @SuppressWarnings("unchecked")
      Deserializer<Object> deserializer = instance(config.valueDeserializerClass(),
          Deserializer.class, NlpStreamsConfig.SERDE_VALUE_DESERIALIZER);
      deserializer.configure(config.passThroughSettings(), false);
      MappedEventReader mapper = new MappedEventReader(fieldMapping(config), null);
      input = record -> {
        Object value;
        try {
          value = deserializer.deserialize(record.topic(), record.headers(), record.value());
        } catch (RetriableException e) {
          throw e;
        } catch (RuntimeException e) {
          RegistryUnavailableException transientFailure = transientFailure(e);
          if (transientFailure != null) {
            throw transientFailure;
          }
          RuntimeException accessFailure = accessFailure(e);
          if (accessFailure != null) {
            throw accessFailure;
          }
          throw new PayloadException(reasonFor(e), "The value deserializer refused the value: "
              + messages(e), e);
        }
        if (value instanceof TextEvent event) {
          return event;
        }
        return mapper.toEvent(record.key(), value, "value from "
            + config.valueDeserializerClass());
      };
    }
    if (!config.valueSerializerClass().isEmpty()) {
      @SuppressWarnings("unchecked")
      Serializer<Object> serializer = instance(config.valueSerializerClass(), Serializer.class,
          NlpStreamsConfig.SERDE_VALUE_SERIALIZER);
      serializer.configure(config.passThroughSettings(), false);
      output = (topic, value) -> value == null ? null : serializer.serialize(topic, value.result());
    }
    return new TopologyIo(input, output);
  }

  /**
   * Another library's deserializer says what went wrong only in its exceptions: an I/O failure, or
   * a registry error that a later call may not repeat (a 5xx-class code, Confluent's 50xxx; a
   * timeout, 408; throttling, 429 as Confluent Cloud sends it), is transient.
   */
  static RegistryUnavailableException transientFailure(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException) {
        return new RegistryUnavailableException("The value deserializer could not reach its"
            + " schema registry: " + t + "; the record is retried, not dropped.", null);
      }
    }
    String messages = messages(e);
    if (registryErrorCodes(messages).anyMatch(PluggedSerdes::isTransientRegistryError)
        || messages.matches("(?s).*\\b50\\d{3}\\b.*")) {
      return new RegistryUnavailableException("The value deserializer's schema registry failed: "
          + messages + "; the record is retried, not dropped.", null);
    }
    return null;
  }

  /**
   * A registry that refuses our credentials (401, 403; Confluent's 401xx, 403xx) refuses every
   * record alike: that is the deployment's fault, not the record's, so it must stop the thread
   * (as the built-in client does) rather than dead-letter every record until someone notices.
   */
  static RuntimeException accessFailure(RuntimeException e) {
    String messages = messages(e);
    if (registryErrorCodes(messages).anyMatch(code -> code == 401 || code == 403
        || code / 100 == 401 || code / 100 == 403)) {
      return new KafkaException("The value deserializer's schema registry refused access: "
          + messages + ". Check the registry credentials (basic.auth.user.info or"
          + " bearer.auth.token) and its permissions for the input topic's subjects.", e);
    }
    return null;
  }

  /** Confluent's client ends its messages with "; error code: NNNNN". */
  private static final Pattern REGISTRY_ERROR_CODE = Pattern.compile("error code: (\\d{3,5})\\b");

  private static IntStream registryErrorCodes(String messages) {
    return REGISTRY_ERROR_CODE.matcher(messages).results()
        .mapToInt(match -> Integer.parseInt(match.group(1)));
  }

  private static boolean isTransientRegistryError(int code) {
    int httpStatus = code >= 10_000 ? code / 100 : code;
    return httpStatus >= 500 || httpStatus == 408 || httpStatus == 429;
  }

  /**
   * Our own deserializers carry the reason; for others, Confluent's error code 40403 (schema not
   * found) is an unknown schema and the rest is malformed.
   */
  static ReasonCode reasonFor(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof PayloadException payload) {
        return payload.reason();
      }
    }
    return messages(e).contains("40403") ? ReasonCode.UNKNOWN_SCHEMA
        : ReasonCode.MALFORMED_PAYLOAD;
  }

  private static String messages(Throwable e) {
    StringBuilder messages = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null) {
        messages.append(messages.length() == 0 ? "" : "; ").append(t.getMessage());
      }
    }
    return messages.toString();
  }

  private static FieldMapping fieldMapping(NlpStreamsConfig config) {
    return WireFormats.fieldMapping(config);
  }

  private static <T> T instance(String className, Class<T> type, String setting) {
    try {
      return Utils.newInstance(className, type);
    } catch (ClassNotFoundException | KafkaException e) {
      throw new ConfigException(setting, className, "cannot create it (" + e.getMessage()
          + "); put its jar on the class path, or leave " + setting + " empty for the built-in"
          + " wire formats");
    }
  }
}
