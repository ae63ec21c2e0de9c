package dev.nlpstreams.inference;

/** A run was asked of a model that is closing (the application is shutting down). */
public final class ModelClosingException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public ModelClosingException(String message) {
    super(message);
  }
}
