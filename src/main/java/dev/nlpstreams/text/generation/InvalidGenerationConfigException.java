package dev.nlpstreams.text.generation;

/** A generation setting or combination of settings that cannot run; the message says what to change. */
public final class InvalidGenerationConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidGenerationConfigException(String message) {
    super(message);
  }
}
