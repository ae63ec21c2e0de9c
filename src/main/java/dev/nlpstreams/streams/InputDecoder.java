package dev.nlpstreams.streams;

import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.avro.TextEvent;

/**
 * Reads an input record as a {@link TextEvent}: our own contract by default; a user's schema or
 * JSON, mapped by field paths, when configured. Called once per record on the stream thread.
 *
 * <p>A value that can never be read (corrupt bytes, unknown schema, a missing text field) is a
 * {@link PayloadException} with its dead-letter reason. A dependency that is down for a while (a
 * schema registry answering 5xx) must not become a dead letter: throw an unchecked exception that
 * extends Kafka's {@link org.apache.kafka.common.errors.RetriableException}; the record is then
 * retried, never skipped.
 */
@FunctionalInterface
public interface InputDecoder {

  TextEvent decode(InputRecord record) throws PayloadException;

  /** Our own {@code TextEvent} in Avro single-object encoding. */
  InputDecoder TEXT_EVENT = record -> Codecs.TEXT_EVENT.decode(record.value());
}
