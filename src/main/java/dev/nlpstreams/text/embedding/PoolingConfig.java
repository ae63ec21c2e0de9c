package dev.nlpstreams.text.embedding;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What a Sentence-Transformers {@code 1_Pooling/config.json} says: the width of the token vectors and
 * the pooling modes that are on. With several modes the sentence vector is their concatenation, in
 * {@link PoolingMode} order, as Sentence-Transformers builds it.
 *
 * @param wordEmbeddingDimension width of one token vector (the model's hidden size)
 * @param modes the modes that are on, in concatenation order; never empty
 */
public record PoolingConfig(int wordEmbeddingDimension, List<PoolingMode> modes) {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Sentence-Transformers modes we do not implement; a config that turns one on is refused. */
  private static final List<String> UNSUPPORTED_KEYS =
      List.of("pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken");

  public PoolingConfig {
    if (wordEmbeddingDimension < 1) {
      throw new IllegalArgumentException(
          "word_embedding_dimension must be at least 1, was " + wordEmbeddingDimension);
    }
    if (modes == null || modes.isEmpty()) {
      throw new IllegalArgumentException("At least one pooling mode must be on");
    }
    Set<PoolingMode> ordered = EnumSet.copyOf(modes);
    if (ordered.size() != modes.size()) {
      throw new IllegalArgumentException("Pooling modes repeat: " + modes);
    }
    // Concatenation order is the enum's order, whatever order the caller listed.
    modes = List.copyOf(ordered);
  }

  /** Mean pooling: what Sentence-Transformers uses when a model has no pooling config. */
  public static PoolingConfig mean(int wordEmbeddingDimension) {
    return new PoolingConfig(wordEmbeddingDimension, List.of(PoolingMode.MEAN));
  }

  /** Width of the pooled sentence vector: one token-vector width per mode that is on. */
  public int outputDimension() {
    return wordEmbeddingDimension * modes.size();
  }

  /** The modes as outputs name them ({@code Embedding.pooling}): "mean", or "cls+mean" when several. */
  public String label() {
    return String.join("+", modes.stream().map(PoolingMode::label).toList());
  }

  /**
   * Parses the text of a {@code 1_Pooling/config.json}.
   *
   * @param source where the text came from, for error messages
   * @throws IllegalArgumentException when the text is not such a config or asks for a mode we do
   *     not implement; the message says which and what to do
   */
  public static PoolingConfig parse(String json, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + " is not valid JSON: "
          + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(source + " must hold a JSON object");
    }
    JsonNode dimension = root.get("word_embedding_dimension");
    if (dimension == null || !dimension.canConvertToInt() || !dimension.isIntegralNumber()
        || dimension.asInt() < 1) {
      throw new IllegalArgumentException(source
          + ": word_embedding_dimension must be a positive integer, was " + dimension);
    }
    for (String key : UNSUPPORTED_KEYS) {
      if (flag(root, key, source)) {
        throw new IllegalArgumentException(source + " turns on " + key
            + ", which nlp-streams does not implement; supported: " + supportedKeys() + ".");
      }
    }
    List<PoolingMode> modes = new ArrayList<>();
    for (PoolingMode mode : PoolingMode.values()) {
      if (flag(root, mode.configKey(), source)) {
        modes.add(mode);
      }
    }
    if (modes.isEmpty()) {
      throw new IllegalArgumentException(source + " turns on no pooling mode; set one of "
          + supportedKeys() + " to true.");
    }
    return new PoolingConfig(dimension.asInt(), modes);
  }

  private static boolean flag(JsonNode root, String key, String source) {
    JsonNode value = root.get(key);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new IllegalArgumentException(source + ": " + key + " must be true or false, was "
          + value);
    }
    return value.booleanValue();
  }

  private static String supportedKeys() {
    List<String> keys = new ArrayList<>();
    for (PoolingMode mode : PoolingMode.values()) {
      keys.add(mode.configKey());
    }
    return String.join(", ", keys);
  }
}
