package dev.nlpstreams.inference.seq2seq;

import ai.onnxruntime.OrtException;

/**
 * An ONNX Runtime failure inside a decoder step, carried out of the search (whose step function
 * cannot throw checked exceptions) to the caller that turns it into an InferenceException.
 */
final class OrtRunFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  OrtRunFailure(String message, OrtException cause) {
    super(message, cause);
  }

  @Override
  public synchronized OrtException getCause() {
    return (OrtException) super.getCause();
  }
}
