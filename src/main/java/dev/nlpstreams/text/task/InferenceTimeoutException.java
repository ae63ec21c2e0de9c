package dev.nlpstreams.text.task;

/** A model run exceeded its deadline and was cancelled. */
public class InferenceTimeoutException extends InferenceException {
  public InferenceTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
