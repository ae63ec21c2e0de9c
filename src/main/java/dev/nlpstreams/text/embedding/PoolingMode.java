package dev.nlpstreams.text.embedding;

/**
 * One way of turning token vectors into a sentence vector, named by its Sentence-Transformers
 * {@code 1_Pooling/config.json} flag. Declared in the order Sentence-Transformers concatenates the
 * vectors when several flags are true.
 */
public enum PoolingMode {
  /** The first token's vector ([CLS] for BERT), whatever the mask says. */
  CLS("pooling_mode_cls_token"),
  /** Per dimension, the largest value over the tokens the attention mask keeps. */
  MAX("pooling_mode_max_tokens"),
  /** The average over the tokens the attention mask keeps: the default. */
  MEAN("pooling_mode_mean_tokens"),
  /** The sum over the kept tokens divided by the square root of their number. */
  MEAN_SQRT_LEN("pooling_mode_mean_sqrt_len_tokens");

  private final String configKey;

  PoolingMode(String configKey) {
    this.configKey = configKey;
  }

  /** How outputs name the mode: cls, max, mean, mean_sqrt_len. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The flag that switches this mode on in {@code 1_Pooling/config.json}. */
  public String configKey() {
    return configKey;
  }
}
