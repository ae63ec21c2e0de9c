package dev.nlpstreams.streams;

import java.util.List;
import java.util.Objects;

/** The topic names a topology reads and writes. */
public record Topics(String input, String entities, String deadLetters) {
  public Topics {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(entities, "entities");
    Objects.requireNonNull(deadLetters, "deadLetters");
  }

  public List<String> all() {
    return List.of(input, entities, deadLetters);
  }
}
