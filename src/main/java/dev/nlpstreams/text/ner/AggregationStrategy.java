package dev.nlpstreams.text.ner;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How token predictions become entities, as in the Hugging Face pipeline's {@code aggregation_strategy}.
 * NONE reports every token; SIMPLE groups tokens by B-/I- tags; FIRST, AVERAGE and MAX first force all
 * sub-tokens of a word to one label and then group words.
 */
public enum AggregationStrategy {
  /** One result per token, labelled with the token's own label (e.g. {@code B-PER}). */
  NONE,
  /** Adjacent tokens grouped by tag; a word may be split between two entities. */
  SIMPLE,
  /** A word takes the label and score of its first token. */
  FIRST,
  /** A word takes the argmax of its tokens' mean probability vectors. */
  AVERAGE,
  /** A word takes the label of its single most confident token. */
  MAX;

  private static final String VALID = Arrays.stream(values())
      .map(AggregationStrategy::wireName)
      .collect(Collectors.joining(", "));

  /** The lower-case name used in configuration, Avro records and the Python pipeline. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether the strategy aggregates sub-tokens into words before grouping (FIRST, AVERAGE, MAX). */
  public boolean isWordBased() {
    return this == FIRST || this == AVERAGE || this == MAX;
  }

  /**
   * Parses a strategy name case-insensitively, ignoring surrounding blanks.
   *
   * @throws IllegalArgumentException naming the valid values when {@code value} is none of them
   */
  public static AggregationStrategy parse(String value) {
    if (value != null) {
      String wanted = value.strip();
      for (AggregationStrategy strategy : values()) {
        if (strategy.name().equalsIgnoreCase(wanted)) {
          return strategy;
        }
      }
    }
    throw new IllegalArgumentException("Unknown aggregation strategy "
        + (value == null ? "null" : "'" + value + "'") + "; use one of: " + VALID);
  }
}
