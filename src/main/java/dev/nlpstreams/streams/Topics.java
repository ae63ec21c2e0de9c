package dev.nlpstreams.streams;

import java.util.List;
import java.util.Objects;

/** The topic names a topology reads and writes. */
public record Topics(String input, String entities, String translations, String summaries,
    String deadLetters) {
  public Topics {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(entities, "entities");
    Objects.requireNonNull(translations, "translations");
    Objects.requireNonNull(summaries, "summaries");
    Objects.requireNonNull(deadLetters, "deadLetters");
  }

  /** Input, entities and dead letters with the default translations and summaries topics. */
  public Topics(String input, String entities, String deadLetters) {
    this(input, entities, "translations", "summaries", deadLetters);
  }

  public List<String> all() {
    return List.of(input, entities, translations, summaries, deadLetters);
  }
}
