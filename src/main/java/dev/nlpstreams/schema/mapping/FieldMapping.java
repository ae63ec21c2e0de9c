package dev.nlpstreams.schema.mapping;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a user's event keeps what a TextEvent needs. Only the text is required; without an event
 * id path the record key is the id; each per-task option has its own optional path.
 */
public record FieldMapping(FieldPath text, Optional<FieldPath> eventId,
    Optional<FieldPath> language, Optional<FieldPath> tasks,
    Map<TaskOptionField, FieldPath> options) {

  public FieldMapping {
    EnumMap<TaskOptionField, FieldPath> copy = new EnumMap<>(TaskOptionField.class);
    copy.putAll(options);
    options = Collections.unmodifiableMap(copy);
  }

  /**
   * Builds from setting values; empty strings mean "not mapped".
   *
   * @param optionPaths path per option; options left out or blank are not mapped
   * @throws IllegalArgumentException naming the first path that is not a dotted path
   */
  public static FieldMapping of(String text, String eventId, String language, String tasks,
      Map<TaskOptionField, String> optionPaths) {
    EnumMap<TaskOptionField, FieldPath> options = new EnumMap<>(TaskOptionField.class);
    optionPaths.forEach((option, path) -> optional(path).ifPresent(p -> options.put(option, p)));
    return new FieldMapping(FieldPath.parse(text), optional(eventId), optional(language),
        optional(tasks), options);
  }

  /** Only the text, event id, language and tasks paths; no options. */
  public static FieldMapping of(String text, String eventId, String language, String tasks) {
    return of(text, eventId, language, tasks, Map.of());
  }

  private static Optional<FieldPath> optional(String path) {
    return path == null || path.isBlank() ? Optional.empty() : Optional.of(FieldPath.parse(path));
  }
}
