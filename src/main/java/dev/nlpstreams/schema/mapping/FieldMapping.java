package dev.nlpstreams.schema.mapping;

import java.util.Optional;

/**
 * Where a user's event keeps what a TextEvent needs. Only the text is required; without an event
 * id path the record key is the id.
 */
public record FieldMapping(FieldPath text, Optional<FieldPath> eventId,
    Optional<FieldPath> language, Optional<FieldPath> tasks, Optional<FieldPath> targetLanguage,
    Optional<FieldPath> aggregationStrategy) {

  /** Builds from setting values; empty strings mean "not mapped". */
  public static FieldMapping of(String text, String eventId, String language, String tasks,
      String targetLanguage, String aggregationStrategy) {
    return new FieldMapping(FieldPath.parse(text), optional(eventId), optional(language),
        optional(tasks), optional(targetLanguage), optional(aggregationStrategy));
  }

  private static Optional<FieldPath> optional(String path) {
    return path == null || path.isBlank() ? Optional.empty() : Optional.of(FieldPath.parse(path));
  }
}
