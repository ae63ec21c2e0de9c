package dev.nlpstreams.streams;

/**
 * Every record of a batch failed on its own: a model or runtime fault rather than bad records. It
 * fails the stream thread instead of dead-lettering the batch, so the records stay buffered and
 * run again when the thread is replaced.
 */
public final class ModelFailureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ModelFailureException(String message, Throwable cause) {
    super(message, cause);
  }
}
