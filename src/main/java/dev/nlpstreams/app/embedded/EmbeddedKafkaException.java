package dev.nlpstreams.app.embedded;

/**
 * The embedded broker could not be started, stopped or used. The message carries the tail of the
 * broker's log, because the child JVM's own output is not visible anywhere else.
 */
public class EmbeddedKafkaException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public EmbeddedKafkaException(String message) {
    super(message);
  }

  public EmbeddedKafkaException(String message, Throwable cause) {
    super(message, cause);
  }
}
