package dev.nlpstreams.inference.seq2seq;

import dev.nlpstreams.text.task.GenerationPurpose;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text prefixes and per-task generation settings from config.json, applied the way the Hugging Face
 * pipelines apply them: the pipeline's task ({@code summarization}, {@code translation_en_to_de})
 * selects an entry of {@code task_specific_params}; its {@code prefix} replaces the model-wide
 * {@code prefix} and its other keys update the generation config (above the model's files, below
 * anything the caller passes). A translation request without languages takes the first
 * {@code translation_*} entry, as {@code pipeline("translation")} does.
 */
final class TaskPrefixes {

  private static final Pattern TRANSLATION_KEY =
      Pattern.compile("translation_([^_]+)_to_([^_]+)");

  /**
   * What one request gets.
   *
   * @param task the selected {@code task_specific_params} key, or null
   * @param prefix text put before the source ("" for none)
   * @param overrides generation settings of the selected entry, without its prefix
   */
  record Selection(String task, String prefix, Map<String, Object> overrides) {
    Selection {
      overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    }
  }

  /** A declared translation entry. */
  private record Pair(String key, String source, String target) {}

  private final String modelPrefix;
  private final Map<String, Map<String, Object>> tasks;
  private final Map<String, Pair> pairs;

  private TaskPrefixes(String modelPrefix, Map<String, Map<String, Object>> tasks) {
    this.modelPrefix = modelPrefix;
    this.tasks = tasks;
    Map<String, Pair> found = new LinkedHashMap<>();
    for (String key : tasks.keySet()) {
      Matcher m = TRANSLATION_KEY.matcher(key);
      if (m.matches()) {
        found.put(key, new Pair(key, lower(m.group(1)), lower(m.group(2))));
      }
    }
    this.pairs = found;
  }

  @SuppressWarnings("unchecked")
  static TaskPrefixes fromConfig(Map<String, Object> config) {
    Object prefix = config.get("prefix");
    Map<String, Map<String, Object>> tasks = new LinkedHashMap<>();
    if (config.get("task_specific_params") instanceof Map<?, ?> params) {
      params.forEach((key, value) -> {
        if (value instanceof Map<?, ?> entry) {
          tasks.put(String.valueOf(key), new LinkedHashMap<>((Map<String, Object>) entry));
        }
      });
    }
    return new TaskPrefixes(prefix instanceof String s ? s : "", tasks);
  }

  /** Declared translation directions as {@code "en->de"}, in file order. */
  Set<String> pairs() {
    Set<String> out = new LinkedHashSet<>();
    pairs.values().forEach(p -> out.add(p.source() + "->" + p.target()));
    return Collections.unmodifiableSet(out);
  }

  /**
   * The prefix and settings for a request.
   *
   * @param source the request's source language, null when unknown
   * @param target the request's target language, null when unknown
   * @throws IllegalArgumentException when the model declares translation directions and none
   *     matches the request's languages
   */
  Selection select(GenerationPurpose purpose, String source, String target) {
    String key = switch (purpose) {
      case SUMMARIZE -> tasks.containsKey("summarization") ? "summarization" : null;
      case TRANSLATE -> translationKey(code(source), code(target));
    };
    if (key == null) {
      return new Selection(null, modelPrefix, Map.of());
    }
    Map<String, Object> overrides = new LinkedHashMap<>(tasks.get(key));
    Object prefix = overrides.remove("prefix");
    return new Selection(key, prefix instanceof String s ? s : modelPrefix, overrides);
  }

  private String translationKey(String source, String target) {
    if (pairs.isEmpty()) {
      return null;
    }
    for (Pair pair : pairs.values()) {
      if ((source == null || pair.source().equals(source))
          && (target == null || pair.target().equals(target))) {
        return pair.key();
      }
    }
    throw new IllegalArgumentException("The model declares task prefixes for "
        + String.join(", ", pairs()) + " only; it has none for "
        + (source == null ? "?" : source) + "->" + (target == null ? "?" : target) + ".");
  }

  /** The primary language subtag in lower case ({@code "en-US"} -> {@code "en"}). */
  private static String code(String language) {
    if (language == null || language.isBlank()) {
      return null;
    }
    String s = lower(language.strip());
    int cut = s.length();
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '-' || s.charAt(i) == '_') {
        cut = i;
        break;
      }
    }
    return cut == 0 ? s : s.substring(0, cut);
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
