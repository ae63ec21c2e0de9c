package dev.nlpstreams.text.task;

/**
 * A run was stopped because its model is closing (the application is shutting down). Not the
 * record's fault: its batch is abandoned, never dead-lettered, and runs again after a restart.
 */
public class InferenceStoppedException extends InferenceException {
  public InferenceStoppedException(String message, Throwable cause) {
    super(message, cause);
  }
}
