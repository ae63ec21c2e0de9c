package dev.nlpstreams.schema.registry;

import org.apache.kafka.common.errors.RetriableException;

/**
 * The registry could not be reached, or answered 5xx, 408 or 429, after the configured retries.
 * Transient by definition: the record that needed it must be retried later, never dead-lettered or
 * skipped. Extends Kafka's {@link RetriableException} so that exception handlers treat it so.
 */
public final class RegistryUnavailableException extends RetriableException {
  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
