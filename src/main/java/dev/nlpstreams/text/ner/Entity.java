package dev.nlpstreams.text.ner;

import java.util.Objects;

/**
 * One result of the pipeline: an entity (aggregated strategies) or a token (strategy NONE).
 *
 * <p>{@code label} is the entity group without B-/I- prefix ({@code PER}) for aggregated strategies and
 * the token's own label ({@code B-PER}) for NONE. {@code word} is always the original text sliced at
 * {@code [start, end)}; Hugging Face instead reports the decoded token(s) there ({@code "##gang"},
 * lower-cased words for uncased models), which loses the surface form. {@code start}/{@code end} are
 * UTF-16 code units (Java string indices), {@code startCodePoint}/{@code endCodePoint} are Unicode code
 * points (Python string indices, what the Python pipeline reports). {@code tokenIndex} is, for NONE, the
 * token's position in its window's full input sequence including special tokens (the pipeline's
 * {@code index}); it is -1 for aggregated strategies.
 */
public record Entity(String label, String word, float score, int start, int end, int startCodePoint,
    int endCodePoint, int tokenIndex) {

  public Entity {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(word, "word");
    if (start < 0 || end < start || startCodePoint < 0 || endCodePoint < startCodePoint) {
      throw new IllegalArgumentException("invalid entity offsets: UTF-16 [" + start + ", " + end
          + "), code points [" + startCodePoint + ", " + endCodePoint + ")");
    }
    if (tokenIndex < -1) {
      throw new IllegalArgumentException("tokenIndex must be -1 or a token position, was " + tokenIndex);
    }
  }
}
