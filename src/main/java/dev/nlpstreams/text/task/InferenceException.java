package dev.nlpstreams.text.task;

/** A batch could not be run through the model. Checked: every caller must decide what to isolate. */
public class InferenceException extends Exception {
  public InferenceException(String message, Throwable cause) {
    super(message, cause);
  }

  public InferenceException(String message) {
    super(message);
  }
}
