package dev.nlpstreams.config;

import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.text.ner.AggregationStrategy;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** The NER task's settings: its token-classification model, aggregation and windows. */
public final class NerConfig implements TaskConfigBlock {

  public static final String TOPIC = "nlp.entities.topic";
  public static final String MODEL = "nlp.ner.model";
  public static final String AGGREGATION_STRATEGY = "nlp.ner.aggregation.strategy";
  public static final String WINDOW_STRIDE = "nlp.ner.window.stride";
  public static final String MAX_LENGTH = "nlp.ner.max.length";
  public static final String PRECISION = "nlp.ner.precision";
  public static final String BUNDLED_MODEL = "bundled:ner-bert-wordpiece";

  private static final String GROUP = "NER";

  public static final NerConfig BLOCK = new NerConfig();

  private NerConfig() {}

  @Override
  public Task task() {
    return Task.NER;
  }

  @Override
  public String name() {
    return "ner";
  }

  @Override
  public String outputTopicSetting() {
    return TOPIC;
  }

  @Override
  public String defaultOutputTopic() {
    return "entities";
  }

  @Override
  public ConfigDef define(ConfigDef def) {
    def
        .define(TOPIC, Type.STRING, defaultOutputTopic(), new ConfigDef.NonEmptyString(),
            Importance.HIGH,
            "Topic that receives one Entities record per NER event, keyed by event id.",
            NlpStreamsConfig.GROUP_TOPICS, 2, ConfigDef.Width.MEDIUM, "Entities topic")
        .define(MODEL, Type.STRING, BUNDLED_MODEL, new ConfigDef.NonEmptyString(),
            Importance.HIGH,
            "Token-classification model: a directory in the Hugging Face Optimum layout"
                + " (config.json, tokenizer.json, onnx/model.onnx) or 'bundled:<name>' for a model"
                + " shipped in the jar.",
            GROUP, 1, ConfigDef.Width.LONG, "NER model")
        .define(AGGREGATION_STRATEGY, Type.STRING, "simple",
            ConfigDef.ValidString.in("none", "simple", "first", "average", "max"),
            Importance.MEDIUM,
            "Default entity aggregation, with Hugging Face pipeline semantics; a TextEvent may"
                + " override it per record.",
            GROUP, 2, ConfigDef.Width.SHORT, "Aggregation strategy")
        .define(WINDOW_STRIDE, Type.INT, 32, Range.atLeast(0), Importance.LOW,
            "Tokens of overlap between consecutive sliding windows for texts longer than the"
                + " model's maximum length (Hugging Face 'stride').",
            GROUP, 3, ConfigDef.Width.SHORT, "Window stride")
        .define(MAX_LENGTH, Type.INT, 0, Range.atLeast(0), Importance.LOW,
            "Window length in tokens including special tokens; 0 uses the model's"
                + " model_max_length (capped by max_position_embeddings).",
            GROUP, 4, ConfigDef.Width.SHORT, "Max length");
    return ModelPrecision.define(def, PRECISION, "the NER model", GROUP, 5, "NER precision");
  }

  /**
   * Checked whether or not NER is enabled: the window settings contradict each other on their
   * own, and refusing them early keeps a later {@code nlp.tasks} change from failing at start-up.
   */
  @Override
  public void check(AbstractConfig config, boolean enabled) {
    int stride = windowStride(config);
    int maxLength = maxLength(config);
    if (maxLength > 0 && stride >= maxLength - 2) {
      throw new ConfigException(WINDOW_STRIDE + "=" + stride + " must be smaller than "
          + MAX_LENGTH + " minus the special tokens (" + (maxLength - 2) + "), or windows"
          + " would never advance.");
    }
  }

  public String model(AbstractConfig config) {
    return config.getString(MODEL);
  }

  public AggregationStrategy aggregationStrategy(AbstractConfig config) {
    return AggregationStrategy.parse(config.getString(AGGREGATION_STRATEGY));
  }

  public int windowStride(AbstractConfig config) {
    return config.getInt(WINDOW_STRIDE);
  }

  public int maxLength(AbstractConfig config) {
    return config.getInt(MAX_LENGTH);
  }

  /** Which graphs of the model directory run (fp32: onnx/*.onnx, int8: onnx/*_quantized.onnx). */
  public ModelPrecision precision(AbstractConfig config) {
    return ModelPrecision.parse(config.getString(PRECISION));
  }
}
