package dev.nlpstreams.schema.confluent;

import dev.nlpstreams.schema.registry.HttpSchemaRegistryClient;
import dev.nlpstreams.schema.registry.RegistrySettings;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * {@link ConfluentAvroDeserializer} configured the Kafka way, like Confluent's
 * {@code KafkaAvroDeserializer}: generic records, or generated classes with
 * {@code specific.avro.reader=true}.
 */
public final class RegistryAvroDeserializer implements Deserializer<Object> {

  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";

  private ConfluentAvroDeserializer delegate;

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    RegistrySettings settings = RegistrySettings.from(configs);
    Object specific = configs.get(SPECIFIC_AVRO_READER);
    delegate = new ConfluentAvroDeserializer(
        new ConfluentAvroReader(new HttpSchemaRegistryClient(settings)), null,
        specific != null && Boolean.parseBoolean(specific.toString().trim()));
  }

  @Override
  public Object deserialize(String topic, byte[] data) {
    if (delegate == null) {
      throw new IllegalStateException("configure() first: the deserializer needs "
          + RegistrySettings.URL);
    }
    return delegate.deserialize(topic, data);
  }
}
