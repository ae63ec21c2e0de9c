package dev.nlpstreams.inference;

/** A model directory or device cannot be used; the message says what to change. */
public class ModelLoadException extends RuntimeException {
  public ModelLoadException(String message) {
    super(message);
  }

  public ModelLoadException(String message, Throwable cause) {
    super(message, cause);
  }
}
