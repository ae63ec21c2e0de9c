package dev.nlpstreams.schema.confluent;

import dev.nlpstreams.schema.registry.HttpSchemaRegistryClient;
import dev.nlpstreams.schema.registry.RegistrySettings;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@link ConfluentAvroSerializer} configured the Kafka way (no-argument constructor, then
 * {@link #configure} with Confluent's setting names), so it can be named in a configuration like
 * Confluent's {@code KafkaAvroSerializer}, and swapped for it.
 */
public final class RegistryAvroSerializer implements Serializer<Object> {

  private ConfluentAvroSerializer delegate;

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    RegistrySettings settings = RegistrySettings.from(configs);
    delegate = new ConfluentAvroSerializer(new HttpSchemaRegistryClient(settings), settings, isKey);
  }

  @Override
  public byte[] serialize(String topic, Object data) {
    if (delegate == null) {
      throw new IllegalStateException("configure() first: the serializer needs "
          + RegistrySettings.URL);
    }
    return delegate.serialize(topic, data);
  }
}
