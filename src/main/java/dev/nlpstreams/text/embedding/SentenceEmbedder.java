package dev.nlpstreams.text.embedding;

import dev.nlpstreams.text.task.InferenceException;
import dev.nlpstreams.text.task.ModelIdentity;
import java.util.List;

/**
 * Embeds texts into sentence vectors. Implementations are thread-safe: one instance per model per
 * process is shared by the threads that run models. The streaming layer only sees this interface, so
 * it can be tested with a fake.
 */
public interface SentenceEmbedder extends AutoCloseable {

  /**
   * One embedding per text, in text order. Texts longer than the model reads are cut (and say so).
   * An empty text is embedded like any other (its special tokens only).
   *
   * @param timeoutMs each model run is cancelled after at most this long (or the model's own run
   *     deadline, when shorter)
   * @throws InferenceException when the batch as a whole failed
   *     ({@link dev.nlpstreams.text.task.InferenceTimeoutException} past the deadline,
   *     {@link dev.nlpstreams.text.task.InferenceStoppedException} when the model is closing); the
   *     caller isolates a failing record by splitting the batch
   */
  List<SentenceEmbedding> embed(List<String> texts, long timeoutMs) throws InferenceException;

  /** Width of every vector this embedder returns. */
  int dimension();

  /** How token vectors are pooled (the model's {@code 1_Pooling/config.json}, or mean). */
  PoolingConfig pooling();

  /** Whether the vectors are scaled to unit length. */
  boolean normalizes();

  /** Number of model tokens the text costs without special tokens; drives the token budget. */
  int countTokens(String text);

  /** The model's identity as reported in outputs. */
  ModelIdentity identity();

  @Override
  void close();
}
