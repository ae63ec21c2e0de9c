package dev.nlpstreams.config;

import dev.nlpstreams.text.translation.LanguagePair;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code nlp.translation.models}: {@code <direction>=<model location>}, where the
 * direction is a language pair for a single-pair model ({@code en->de=bundled:marian-tiny-en-de})
 * or {@code *} for a model that declares its own languages (multilingual language tokens, T5 task
 * prefixes).
 *
 * @param pair the configured direction, or null for {@code *}
 * @param location model directory or {@code bundled:<name>}
 */
public record TranslationModelSpec(LanguagePair pair, String location) {

  static final String FORMAT = "entries <source>-><target>=<model> or *=<model>, comma-separated,"
      + " for example en->de=bundled:marian-tiny-en-de,*=/models/m2m100_418M";

  /** Parses one entry; throws IllegalArgumentException that shows the expected form. */
  public static TranslationModelSpec parse(String entry) {
    int eq = entry.indexOf('=');
    if (eq <= 0 || eq == entry.length() - 1) {
      throw new IllegalArgumentException("'" + entry + "' is not a translation model entry; expected "
          + FORMAT);
    }
    String direction = entry.substring(0, eq).strip();
    String location = entry.substring(eq + 1).strip();
    if (location.isEmpty()) {
      throw new IllegalArgumentException("'" + entry + "' names no model; expected " + FORMAT);
    }
    return new TranslationModelSpec(direction.equals("*") ? null : LanguagePair.parse(direction),
        location);
  }

  public static List<TranslationModelSpec> parseAll(List<String> entries) {
    List<TranslationModelSpec> specs = new ArrayList<>();
    for (String entry : entries) {
      if (!entry.isBlank()) {
        specs.add(parse(entry.strip()));
      }
    }
    return specs;
  }
}
