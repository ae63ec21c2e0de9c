package dev.nlpstreams.text.translation;

import dev.nlpstreams.text.language.DetectedLanguage;
import dev.nlpstreams.text.language.LanguageDetector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Decides which configured model translates a record. Pure and deterministic, so the decode step
 * can reject a record early and the batch step can route it again without storing the decision.
 *
 * <p>Order of preference: the model the record names; else a model made for exactly this direction
 * (single-pair models such as Marian are usually better at their pair than a multilingual model);
 * else a multilingual model that has both languages. Within each group, configuration order wins.
 * When the event gives no source language it is detected; when detection is inconclusive the
 * record is routed by its target language alone and the output says the source is unknown.
 */
public final class TranslationRouter {

  /** A routing decision: either a route or the reason there is none. */
  public sealed interface Decision permits Route, Rejection {}

  /**
   * @param model configured model name; empty for a passthrough without a named model
   * @param sourceLanguage normalised source language, null when unknown
   * @param sourceDetected true when the source language came from detection
   * @param targetLanguage normalised target language
   * @param passthrough source and target are the same language: nothing to translate
   */
  public record Route(String model, String sourceLanguage, boolean sourceDetected,
      String targetLanguage, boolean passthrough) implements Decision {}

  /** Why a record cannot be translated; the message says what to change. */
  public record Rejection(Kind kind, String message) implements Decision {

    /** What is missing: a target language, the named model, or a model for the direction. */
    public enum Kind { NO_TARGET_LANGUAGE, UNKNOWN_MODEL, UNSUPPORTED_DIRECTION }
  }

  private final Map<String, TranslationModelCapabilities> models = new LinkedHashMap<>();
  private final String defaultTarget;
  private final boolean detectLanguage;

  /**
   * @param models in configuration order
   * @param defaultTargetLanguage used when a record names no target; null or blank for none
   * @param detectLanguage detect the source language of records that do not give one
   */
  public TranslationRouter(List<TranslationModelCapabilities> models,
      String defaultTargetLanguage, boolean detectLanguage) {
    for (TranslationModelCapabilities m : models) {
      if (this.models.putIfAbsent(m.name(), m) != null) {
        throw new IllegalArgumentException("Two translation models are named '" + m.name()
            + "'; give each a distinct name.");
      }
    }
    this.defaultTarget = LanguageCodes.normalize(defaultTargetLanguage);
    this.detectLanguage = detectLanguage;
  }

  public Decision route(String text, String givenSource, String requestedTarget,
      String requestedModel) {
    String target = LanguageCodes.normalize(requestedTarget);
    if (target == null) {
      target = defaultTarget;
    }
    if (target == null) {
      return new Rejection(Rejection.Kind.NO_TARGET_LANGUAGE, "No target language: set"
          + " options.translation.target_language in the event or"
          + " nlp.translation.default.target.language in the configuration.");
    }
    String source = LanguageCodes.normalize(givenSource);
    boolean detected = false;
    if (source == null && detectLanguage) {
      DetectedLanguage d = LanguageDetector.detect(text);
      if (d.known()) {
        source = d.language();
        detected = true;
      }
    }
    if (requestedModel != null && !requestedModel.isBlank()) {
      TranslationModelCapabilities model = models.get(requestedModel.strip());
      if (model == null) {
        return new Rejection(Rejection.Kind.UNKNOWN_MODEL, "No translation model is named '"
            + requestedModel + "'; configured: " + describeAll() + ".");
      }
      if (source != null && source.equals(target)) {
        return new Route(model.name(), source, detected, target, true);
      }
      if (!model.supports(source, target)) {
        return new Rejection(Rejection.Kind.UNSUPPORTED_DIRECTION, "Translation model "
            + model.describe() + " cannot translate "
            + direction(source, detected, target) + ".");
      }
      return new Route(model.name(), source, detected, target, false);
    }
    if (source != null && source.equals(target)) {
      return new Route("", source, detected, target, true);
    }
    List<TranslationModelCapabilities> preferred = new ArrayList<>();
    models.values().stream().filter(m -> !m.multilingual()).forEach(preferred::add);
    models.values().stream().filter(TranslationModelCapabilities::multilingual)
        .forEach(preferred::add);
    for (TranslationModelCapabilities model : preferred) {
      if (model.supports(source, target)) {
        return new Route(model.name(), source, detected, target, false);
      }
    }
    return new Rejection(Rejection.Kind.UNSUPPORTED_DIRECTION,
        "No configured translation model translates "
        + direction(source, detected, target) + "; configured: " + describeAll()
        + ". Add a model for this direction to nlp.translation.models.");
  }

  private static String direction(String source, boolean detected, String target) {
    if (source == null) {
      return "into '" + target + "' (source language unknown)";
    }
    return "'" + source + "'" + (detected ? " (detected)" : "") + " into '" + target + "'";
  }

  private String describeAll() {
    return models.isEmpty() ? "none" : models.values().stream()
        .map(TranslationModelCapabilities::describe).collect(Collectors.joining(", "));
  }
}
