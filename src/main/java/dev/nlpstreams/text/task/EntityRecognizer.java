package dev.nlpstreams.text.task;

import java.util.List;

/**
 * Runs named-entity recognition over a batch of texts. Implementations are thread-safe: one instance
 * per model per process is shared by all stream threads.
 *
 * <p>The streaming layer only sees this interface, so it can be tested with a fake and so a shared
 * batching engine can later replace the direct call without touching the processors.
 */
public interface EntityRecognizer extends AutoCloseable {

  /**
   * Tags every request. Results come back in request order, one per request.
   *
   * @throws InferenceException when the batch as a whole failed; the caller isolates the failing
   *     record by splitting the batch.
   */
  List<NerResult> recognize(List<NerRequest> batch) throws InferenceException;

  /**
   * As {@link #recognize(List)}, with each model run cancelled after at most {@code timeoutMs}
   * (or the model's own run deadline, when shorter).
   */
  default List<NerResult> recognize(List<NerRequest> batch, long timeoutMs)
      throws InferenceException {
    return recognize(batch);
  }

  /** Number of model tokens the text costs without special tokens; drives the token budget. */
  int countTokens(String text);

  /** The model's identity as reported in outputs. */
  ModelIdentity identity();

  @Override
  void close();
}
