package dev.nlpstreams.streams;

import java.util.List;
import java.util.Objects;

/** The topic names a topology reads and writes. */
public record Topics(String input, String entities, String translations, String summaries,
    String embeddings, String deadLetters) {
  public Topics {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(entities, "entities");
    Objects.requireNonNull(translations, "translations");
    Objects.requireNonNull(summaries, "summaries");
    Objects.requireNonNull(embeddings, "embeddings");
    Objects.requireNonNull(deadLetters, "deadLetters");
  }

  /** Every topic but embeddings named; embeddings gets its default name. */
  public Topics(String input, String entities, String translations, String summaries,
      String deadLetters) {
    this(input, entities, translations, summaries, "embeddings", deadLetters);
  }

  /** Input, entities and dead letters with the default translations and summaries topics. */
  public Topics(String input, String entities, String deadLetters) {
    this(input, entities, "translations", "summaries", deadLetters);
  }

  public List<String> all() {
    return List.of(input, entities, translations, summaries, embeddings, deadLetters);
  }
}
