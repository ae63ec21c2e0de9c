package dev.nlpstreams.text.ner;

import java.util.Objects;

/**
 * One model token of a window as the tokenizer reports it: the token string ({@code "##ing"},
 * {@code "Ġword"}, {@code "▁word"}) and its offsets into the original text in UTF-16 code units.
 *
 * <p>{@code special} marks tokens the tokenizer added ({@code [CLS]}, {@code </s>}, padding); they are
 * never reported and their offsets are not read. {@code unknown} marks the tokenizer's unknown token:
 * the pipeline never treats it as a sub-word, because its string ({@code [UNK]}) says nothing about the
 * text it replaced.
 */
public record TokenSpan(String piece, int start, int end, boolean special, boolean unknown) {

  public TokenSpan {
    Objects.requireNonNull(piece, "piece");
    if (special && unknown) {
      throw new IllegalArgumentException("token '" + piece + "' cannot be both special and unknown");
    }
    if (!special && (start < 0 || end < start)) {
      throw new IllegalArgumentException(
          "token '" + piece + "' has invalid offsets [" + start + ", " + end + ")");
    }
  }

  /** An ordinary token covering {@code [start, end)} of the text. */
  public static TokenSpan of(String piece, int start, int end) {
    return new TokenSpan(piece, start, end, false, false);
  }

  /** A token the tokenizer added; it has no place in the text. */
  public static TokenSpan special(String piece) {
    return new TokenSpan(piece, 0, 0, true, false);
  }

  /** The tokenizer's unknown token standing for {@code [start, end)} of the text. */
  public static TokenSpan unknown(String piece, int start, int end) {
    return new TokenSpan(piece, start, end, false, true);
  }
}
