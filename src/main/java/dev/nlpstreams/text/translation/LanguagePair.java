package dev.nlpstreams.text.translation;

import java.util.Objects;

/** A translation direction, written {@code en->de} in configuration and outputs. */
public record LanguagePair(String source, String target) {

  public LanguagePair {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
  }

  /**
   * Parses {@code en->de} (also {@code en-de} when both sides are plain codes, as opus-mt names its
   * models).
   *
   * @throws IllegalArgumentException with the expected form
   */
  public static LanguagePair parse(String text) {
    String s = text == null ? "" : text.strip();
    String[] sides = s.contains("->") ? s.split("->", -1) : s.split("-", -1);
    if (sides.length != 2 || sides[0].isBlank() || sides[1].isBlank()) {
      throw new IllegalArgumentException("'" + text + "' is not a language pair; write it as"
          + " source->target, for example en->de");
    }
    return new LanguagePair(LanguageCodes.normalize(sides[0]), LanguageCodes.normalize(sides[1]));
  }

  @Override
  public String toString() {
    return source + "->" + target;
  }
}
