package dev.nlpstreams.config;

import dev.nlpstreams.schema.avro.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** The translation task's settings: its models, default target language and search overrides. */
public final class TranslationConfig implements TaskConfigBlock {

  public static final String TOPIC = "nlp.translations.topic";
  public static final String MODELS = "nlp.translation.models";
  public static final String DEFAULT_TARGET = "nlp.translation.default.target.language";
  public static final String DETECT_LANGUAGE = "nlp.translation.detect.language";
  public static final String NUM_BEAMS = "nlp.translation.num.beams";
  public static final String MAX_NEW_TOKENS = "nlp.translation.max.new.tokens";
  public static final String PRECISION = "nlp.translation.precision";
  public static final String DEFAULT_MODELS =
      "en->de=bundled:marian-tiny-en-de,*=bundled:m2m-tiny-multilingual";

  private static final String GROUP = "Translation";

  public static final TranslationConfig BLOCK = new TranslationConfig();

  private TranslationConfig() {}

  @Override
  public Task task() {
    return Task.TRANSLATE;
  }

  @Override
  public String name() {
    return "translate";
  }

  @Override
  public String outputTopicSetting() {
    return TOPIC;
  }

  @Override
  public String defaultOutputTopic() {
    return "translations";
  }

  @Override
  public ConfigDef define(ConfigDef def) {
    def
        .define(TOPIC, Type.STRING, defaultOutputTopic(), new ConfigDef.NonEmptyString(),
            Importance.HIGH,
            "Topic that receives one Translation record per TRANSLATE event, keyed by event id.",
            NlpStreamsConfig.GROUP_TOPICS, 6, ConfigDef.Width.MEDIUM, "Translations topic")
        .define(MODELS, Type.LIST, DEFAULT_MODELS, modelsValidator(), Importance.HIGH,
            "Translation models, each '<source>-><target>=<model>' for a single-pair model"
                + " (Marian, opus-mt) or '*=<model>' for a model that declares its languages"
                + " (multilingual M2M-100 / mBART / NLLB language tokens, T5 task prefixes)."
                + " <model> is an Optimum export directory or 'bundled:<name>'. A record is routed"
                + " by its source and target language: a single-pair model for its exact"
                + " direction first, then a multilingual one; options.translation.model (the"
                + " model's directory name) picks one explicitly.",
            GROUP, 1, ConfigDef.Width.LONG, "Translation models")
        .define(DEFAULT_TARGET, Type.STRING, "de", Importance.MEDIUM,
            "Target language of records that set no options.translation.target_language; empty"
                + " to require one (records without it are dead-lettered with reason"
                + " UNSUPPORTED_LANGUAGE).",
            GROUP, 2, ConfigDef.Width.SHORT, "Default target language")
        .define(DETECT_LANGUAGE, Type.BOOLEAN, true, Importance.MEDIUM,
            "Detect the source language of records whose language field is null (function words"
                + " and scripts, no model); the Translation says so in source_language_detected."
                + " When false, or when detection is inconclusive, such records are routed by"
                + " target language alone.",
            GROUP, 3, ConfigDef.Width.SHORT, "Detect language")
        .define(NUM_BEAMS, Type.INT, null, NlpStreamsConfig.nullableAtLeast(1), Importance.MEDIUM,
            "Beam width for translation; empty keeps the model's generation_config.json (Hugging"
                + " Face num_beams). A record may override it.",
            GROUP, 4, ConfigDef.Width.SHORT, "Translation beams")
        .define(MAX_NEW_TOKENS, Type.INT, null, NlpStreamsConfig.nullableAtLeast(1),
            Importance.MEDIUM,
            "Most tokens generated per translated chunk; empty keeps the model's max_length. A"
                + " record may override it.",
            GROUP, 5, ConfigDef.Width.SHORT, "Translation max new tokens");
    return ModelPrecision.define(def, PRECISION, "every translation model", GROUP, 6,
        "Translation precision");
  }

  @Override
  public void check(AbstractConfig config, boolean enabled) {
    if (enabled && models(config).isEmpty()) {
      throw new ConfigException(MODELS + " is empty but " + NlpStreamsConfig.TASKS
          + " includes translate; configure a model or remove the task.");
    }
  }

  public List<TranslationModelSpec> models(AbstractConfig config) {
    return TranslationModelSpec.parseAll(config.getList(MODELS));
  }

  /** Null when records must name their target language. */
  public String defaultTargetLanguage(AbstractConfig config) {
    String value = config.getString(DEFAULT_TARGET);
    return value == null || value.isBlank() ? null : value.strip();
  }

  public boolean detectLanguage(AbstractConfig config) {
    return config.getBoolean(DETECT_LANGUAGE);
  }

  /** Pipeline-level Hugging Face generation overrides (only the set ones). */
  public Map<String, Object> generationOverrides(AbstractConfig config) {
    Map<String, Object> layer = new LinkedHashMap<>();
    NlpStreamsConfig.putIfSet(layer, "num_beams", config.getInt(NUM_BEAMS));
    NlpStreamsConfig.putIfSet(layer, "max_new_tokens", config.getInt(MAX_NEW_TOKENS));
    return layer;
  }

  private static ConfigDef.Validator modelsValidator() {
    return new ConfigDef.Validator() {
      @Override
      @SuppressWarnings("unchecked")
      public void ensureValid(String name, Object value) {
        try {
          TranslationModelSpec.parseAll((List<String>) value);
        } catch (IllegalArgumentException e) {
          throw new ConfigException(name, value, e.getMessage());
        }
      }

      @Override
      public String toString() {
        return TranslationModelSpec.FORMAT;
      }
    };
  }

  /** Which graphs of the model directory run (fp32: onnx/*.onnx, int8: onnx/*_quantized.onnx). */
  public ModelPrecision precision(AbstractConfig config) {
    return ModelPrecision.parse(config.getString(PRECISION));
  }
}
