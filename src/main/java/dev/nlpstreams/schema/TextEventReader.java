package dev.nlpstreams.schema;

import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.confluent.ConfluentAvroReader;
import dev.nlpstreams.schema.confluent.ConfluentWireFormat;

/**
 * Reads a {@link TextEvent} in either framing, told apart by the first bytes: {@code C3 01} is
 * Avro single-object encoding, {@code 00} is Confluent Schema Registry framing (read through the
 * registry when one is configured). Thread-safe.
 */
public final class TextEventReader {

  private final ConfluentAvroReader confluent;

  /** Without a registry: Confluent-framed values are dead-lettered as UNKNOWN_SCHEMA. */
  public TextEventReader() {
    this(null);
  }

  public TextEventReader(ConfluentAvroReader confluent) {
    this.confluent = confluent;
  }

  /**
   * Decodes one value. Throws {@link PayloadException} for a value that can never be read, and
   * lets {@link dev.nlpstreams.schema.registry.RegistryUnavailableException} through.
   */
  public TextEvent read(byte[] value) throws PayloadException {
    if (confluent != null && ConfluentWireFormat.looksFramed(value)) {
      Object event = confluent.read(value, TextEvent.getClassSchema(), true);
      if (!(event instanceof TextEvent textEvent)) {
        throw new PayloadException(ReasonCode.MALFORMED_PAYLOAD, "Schema id "
            + ConfluentWireFormat.schemaId(value) + " did not resolve to a TextEvent", null);
      }
      return textEvent;
    }
    // Single-object encoding, and without a registry the clear UNKNOWN_SCHEMA for framed values.
    return Codecs.TEXT_EVENT.decode(value);
  }
}
