package dev.nlpstreams.text.translation;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one configured translation model can do.
 *
 * @param name the model's configured name (what {@code options.translation.model} refers to)
 * @param pairs fixed directions: configured for single-pair models (Marian), or declared by the
 *     model's task prefixes (T5)
 * @param languages for multilingual models, every language it translates from and into (any
 *     direction between two of them); empty otherwise
 */
public record TranslationModelCapabilities(String name, Set<LanguagePair> pairs,
    Set<String> languages) {

  public TranslationModelCapabilities {
    Objects.requireNonNull(name, "name");
    pairs = Set.copyOf(pairs);
    languages = Set.copyOf(languages);
  }

  boolean multilingual() {
    return !languages.isEmpty();
  }

  /** Whether the model translates source into target; a null source means "unknown". */
  boolean supports(String source, String target) {
    if (multilingual() && languages.contains(target)
        && (source == null || (languages.contains(source) && !source.equals(target)))) {
      return true;
    }
    for (LanguagePair pair : pairs) {
      if (pair.target().equals(target) && (source == null || pair.source().equals(source))) {
        return true;
      }
    }
    return false;
  }

  /** For messages: {@code marian (en->de)}, {@code m2m (any of de, en, fr)}. */
  String describe() {
    StringBuilder s = new StringBuilder(name).append(" (");
    if (!pairs.isEmpty()) {
      s.append(String.join(", ", new TreeSet<>(pairs.stream().map(LanguagePair::toString)
          .toList())));
    }
    if (multilingual()) {
      s.append(pairs.isEmpty() ? "" : "; ").append("between any of ")
          .append(String.join(", ", new TreeSet<>(languages)));
    }
    return s.append(')').toString();
  }
}
