package dev.nlpstreams.schema.registry;

import java.util.Locale;
import org.apache.avro.Schema;

/**
 * Confluent's subject naming strategies: the subject a schema is registered under, from the topic
 * and the record's full name.
 */
public enum SubjectNameStrategy {
  /** {@code <topic>-key} / {@code <topic>-value}: one schema per topic (Confluent's default). */
  TOPIC("io.confluent.kafka.serializers.subject.TopicNameStrategy"),
  /** The record's full name: one schema per record type, shared by topics. */
  RECORD("io.confluent.kafka.serializers.subject.RecordNameStrategy"),
  /** {@code <topic>-<record full name>}: several record types per topic. */
  TOPIC_RECORD("io.confluent.kafka.serializers.subject.TopicRecordNameStrategy");

  private final String confluentClass;

  SubjectNameStrategy(String confluentClass) {
    this.confluentClass = confluentClass;
  }

  public String subject(String topic, boolean isKey, Schema schema) {
    return switch (this) {
      case TOPIC -> topic + (isKey ? "-key" : "-value");
      case RECORD -> schema.getFullName();
      case TOPIC_RECORD -> topic + "-" + schema.getFullName();
    };
  }

  /**
   * Accepts Confluent's class names (so an existing serializer configuration works unchanged) or
   * the short names {@code topic}, {@code record}, {@code topic-record}.
   */
  public static SubjectNameStrategy parse(String key, String value) {
    String trimmed = value.trim();
    for (SubjectNameStrategy strategy : values()) {
      String shortName = strategy.name().toLowerCase(Locale.ROOT).replace('_', '-');
      if (trimmed.equals(strategy.confluentClass) || trimmed.equalsIgnoreCase(shortName)
          || trimmed.equals(strategy.confluentClass.substring(
              strategy.confluentClass.lastIndexOf('.') + 1))) {
        return strategy;
      }
    }
    throw new IllegalArgumentException("Unknown " + key + " '" + value + "'; use topic, record or"
        + " topic-record (or Confluent's TopicNameStrategy, RecordNameStrategy,"
        + " TopicRecordNameStrategy class names).");
  }
}
