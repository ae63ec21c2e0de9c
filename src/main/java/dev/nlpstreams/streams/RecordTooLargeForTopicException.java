package dev.nlpstreams.streams;

/**
 * A buffer entry or a result is larger than Kafka would accept. Raised to name the error class in
 * the dead letter; the record is dead-lettered before any write could fail (and be retried forever).
 */
final class RecordTooLargeForTopicException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RecordTooLargeForTopicException(String message) {
    super(message, null, false, false);
  }
}
