package dev.nlpstreams.streams;

/**
 * Names the error class of dead letters for input that was refused before any model ran (null
 * value, empty event id, text too large, a task, option or language this processor cannot serve):
 * the reason code says which.
 */
public final class RejectedInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RejectedInputException(String message) {
    super(message, null, false, false);
  }
}
