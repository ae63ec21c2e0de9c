package dev.nlpstreams.streams;

import dev.nlpstreams.text.generation.GenerationConfig;
import dev.nlpstreams.text.task.GenerationPurpose;
import dev.nlpstreams.text.task.GenerationRequest;
import dev.nlpstreams.text.task.TextGenerator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The seq2seq models of one task by configured name, with the layering of generation settings:
 * the model's config.json and generation_config.json, then the pipeline's settings, then the
 * record's options. Resolved configurations are cached: records carry few distinct option sets.
 */
final class GenerationModels {

  /** More distinct option sets than producers use in practice, and a few hundred kB at most. */
  static final int MAX_CACHED = 4_096;

  private final Map<String, TextGenerator> byName;
  private final Map<String, Object> pipelineLayer;
  private final GenerationLimits limits;
  private final Map<CacheKey, GenerationConfig> resolved = new ConcurrentHashMap<>();

  /** Purpose and languages matter because a model may declare settings per task (T5). */
  private record CacheKey(String model, GenerationPurpose purpose, String source, String target,
      Map<String, Object> recordLayer) {}

  GenerationModels(Map<String, TextGenerator> byName, Map<String, Object> pipelineLayer,
      GenerationLimits limits) {
    this.byName = new LinkedHashMap<>(byName);
    this.pipelineLayer = Map.copyOf(pipelineLayer);
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  GenerationLimits limits() {
    return limits;
  }

  /** The first configured model: the default when a record names none. */
  String defaultName() {
    if (byName.isEmpty()) {
      throw new IllegalStateException("No model is configured for this task");
    }
    return byName.keySet().iterator().next();
  }

  TextGenerator get(String name) {
    TextGenerator generator = byName.get(name);
    if (generator == null) {
      throw new IllegalArgumentException("No model named '" + name + "'; configured: "
          + byName.keySet());
    }
    return generator;
  }

  boolean has(String name) {
    return byName.containsKey(name);
  }

  Map<String, TextGenerator> all() {
    return byName;
  }

  /**
   * A record's own layer (Hugging Face names) from its options; null values are left out.
   * {@link #checkRecordLayer} checks it against the limits.
   */
  static Map<String, Object> recordLayer(Integer maxNewTokens, Integer numBeams,
      Integer minLength) {
    Map<String, Object> layer = new LinkedHashMap<>();
    if (maxNewTokens != null) {
      layer.put("max_new_tokens", maxNewTokens);
    }
    if (numBeams != null) {
      layer.put("num_beams", numBeams);
    }
    if (minLength != null) {
      layer.put("min_length", minLength);
    }
    return layer;
  }

  /** Returns an error text when the record's options are out of bounds, otherwise null. */
  String checkRecordLayer(String model, GenerationRequest request,
      Map<String, Object> recordLayer) {
    Object beams = recordLayer.get("num_beams");
    if (beams != null && ((Integer) beams < 1 || (Integer) beams > limits.maxNumBeams())) {
      return "num_beams=" + beams + " is outside [1, " + limits.maxNumBeams()
          + "] (nlp.generation.max.num.beams).";
    }
    Object maxNew = recordLayer.get("max_new_tokens");
    if (maxNew != null && ((Integer) maxNew < 1 || (Integer) maxNew > limits.maxNewTokens())) {
      return "max_new_tokens=" + maxNew + " is outside [1, " + limits.maxNewTokens()
          + "] (nlp.generation.max.new.tokens.limit).";
    }
    Object minLength = recordLayer.get("min_length");
    if (minLength != null && (Integer) minLength < 0) {
      return "min_length=" + minLength + " is negative.";
    }
    if (minLength != null && (Integer) minLength > limits.maxNewTokens() + 1) {
      // Counts the decoder's start token, as Hugging Face's min_length does; refused before a
      // configuration is resolved, so arbitrary values do not fill the cache.
      return "min_length=" + minLength + " cannot be reached: no output is longer than "
          + limits.maxNewTokens() + " new tokens (nlp.generation.max.new.tokens.limit).";
    }
    try {
      GenerationConfig config = config(model, request, recordLayer);
      if (minLength != null && config.minLength() > config.maxLength()) {
        // Hugging Face only warns and then ignores min_length; a record that asks for it must know.
        return "min_length=" + minLength + " cannot be reached: outputs stop at "
            + (config.maxLength() - 1) + " new tokens (max_new_tokens). Lower min_length or"
            + " raise max_new_tokens.";
      }
      return null;
    } catch (IllegalArgumentException e) {
      return "Generation options cannot be combined with model " + model + "'s settings: "
          + e.getMessage();
    }
  }

  /**
   * The resolved configuration for a model, a kind of request (its text is ignored) and a record
   * layer.
   */
  GenerationConfig config(String model, GenerationRequest request,
      Map<String, Object> recordLayer) {
    CacheKey cacheKey = new CacheKey(model, request.purpose(), request.sourceLanguage(),
        request.targetLanguage(), Map.copyOf(recordLayer));
    GenerationConfig cached = resolved.get(cacheKey);
    if (cached != null) {
      return cached;
    }
    GenerationConfig config = resolve(cacheKey, request);
    // Keys come from records' options: past the bound, resolve every time rather than grow.
    if (resolved.size() < MAX_CACHED) {
      resolved.putIfAbsent(cacheKey, config);
    }
    return config;
  }

  private GenerationConfig resolve(CacheKey key, GenerationRequest request) {
    List<Map<String, Object>> layers = new ArrayList<>(get(key.model()).defaultLayers(request));
    layers.add(pipelineLayer);
    layers.add(key.recordLayer());
    return GenerationConfig.fromLayers(layers);
  }

  int cachedConfigurations() {
    return resolved.size();
  }
}
