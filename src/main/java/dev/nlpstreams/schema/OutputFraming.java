package dev.nlpstreams.schema;

import java.util.Locale;

/** How results and dead letters are framed on their topics. */
public enum OutputFraming {
  /** Confluent framing when a schema registry is configured, single-object encoding otherwise. */
  AUTO,
  /** Magic byte 0, registry schema id, Avro body; needs {@code schema.registry.url}. */
  CONFLUENT,
  /** Avro single-object encoding (C3 01, schema fingerprint, body); needs no registry. */
  SINGLE_OBJECT;

  public static OutputFraming parse(String value) {
    return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  /** What AUTO means given whether a registry is configured. */
  public OutputFraming resolve(boolean registryConfigured) {
    if (this != AUTO) {
      return this;
    }
    return registryConfigured ? CONFLUENT : SINGLE_OBJECT;
  }
}
