package dev.nlpstreams.text.embedding;

/**
 * Turns the token vectors of one text into its sentence vector the way Sentence-Transformers'
 * {@code Pooling} module does, then, when asked, scales it to unit length as its {@code Normalize}
 * module does. Padding positions (attention mask 0) never count, so a text gives the same vector
 * alone or padded in a batch, for the same token vectors.
 */
public final class SentencePooler {

  /** Sentence-Transformers clamps the token count to this before dividing. */
  private static final float MIN_TOKEN_COUNT = 1e-9f;
  /** Value Sentence-Transformers gives masked positions before taking the max. */
  private static final float MASKED_FOR_MAX = -1e9f;
  /** torch.nn.functional.normalize's epsilon: vectors shorter than this are divided by it. */
  private static final double MIN_NORM = 1e-12;

  private final PoolingConfig config;
  private final boolean normalize;

  public SentencePooler(PoolingConfig config, boolean normalize) {
    this.config = java.util.Objects.requireNonNull(config, "config");
    this.normalize = normalize;
  }

  public PoolingConfig config() {
    return config;
  }

  /** Whether sentence vectors are scaled to unit length. */
  public boolean normalizes() {
    return normalize;
  }

  /** Width of the sentence vectors this pooler returns. */
  public int dimension() {
    return config.outputDimension();
  }

  /**
   * The sentence vector of one text.
   *
   * @param tokenVectors the model's token vectors for this text, row-major
   *     [{@code attentionMask.length}, word embedding dimension]
   * @param attentionMask 1 for real tokens, 0 for padding
   */
  public float[] pool(float[] tokenVectors, long[] attentionMask) {
    int width = config.wordEmbeddingDimension();
    int tokens = attentionMask.length;
    if (tokens == 0) {
      throw new IllegalArgumentException("A text has at least one token (its special tokens)");
    }
    if (tokenVectors.length != tokens * width) {
      throw new IllegalArgumentException("Expected " + tokens + " x " + width + " = "
          + (tokens * width) + " token vector values, got " + tokenVectors.length);
    }
    float[] pooled = new float[config.outputDimension()];
    int offset = 0;
    for (PoolingMode mode : config.modes()) {
      switch (mode) {
        case CLS -> System.arraycopy(tokenVectors, 0, pooled, offset, width);
        case MAX -> max(tokenVectors, attentionMask, width, pooled, offset);
        case MEAN -> sumOverMask(tokenVectors, attentionMask, width, pooled, offset, false);
        case MEAN_SQRT_LEN -> sumOverMask(tokenVectors, attentionMask, width, pooled, offset, true);
        default -> throw new IllegalStateException("Unhandled pooling mode " + mode);
      }
      offset += width;
    }
    return normalize ? l2Normalized(pooled) : pooled;
  }

  private static void max(float[] vectors, long[] mask, int width, float[] out, int offset) {
    java.util.Arrays.fill(out, offset, offset + width, Float.NEGATIVE_INFINITY);
    for (int t = 0; t < mask.length; t++) {
      for (int d = 0; d < width; d++) {
        float value = mask[t] == 0 ? MASKED_FOR_MAX : vectors[t * width + d];
        if (value > out[offset + d]) {
          out[offset + d] = value;
        }
      }
    }
  }

  private static void sumOverMask(float[] vectors, long[] mask, int width, float[] out,
      int offset, boolean bySqrtLength) {
    // Sums in double: long texts add hundreds of values per dimension.
    double[] sums = new double[width];
    double kept = 0;
    for (int t = 0; t < mask.length; t++) {
      if (mask[t] == 0) {
        continue;
      }
      kept += mask[t];
      for (int d = 0; d < width; d++) {
        sums[d] += vectors[t * width + d] * (double) mask[t];
      }
    }
    double divisor = Math.max(kept, MIN_TOKEN_COUNT);
    if (bySqrtLength) {
      divisor = Math.sqrt(divisor);
    }
    for (int d = 0; d < width; d++) {
      out[offset + d] = (float) (sums[d] / divisor);
    }
  }

  /** The vector divided by its Euclidean length (by 1e-12 when shorter), as a new array. */
  public static float[] l2Normalized(float[] vector) {
    double squares = 0;
    for (float value : vector) {
      squares += (double) value * value;
    }
    double norm = Math.max(Math.sqrt(squares), MIN_NORM);
    float[] unit = new float[vector.length];
    for (int i = 0; i < vector.length; i++) {
      unit[i] = (float) (vector[i] / norm);
    }
    return unit;
  }
}
