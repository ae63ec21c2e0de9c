package dev.nlpstreams.config;

import dev.nlpstreams.schema.avro.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** The summarization task's settings: its models, search overrides and rounds. */
public final class SummarizationConfig implements TaskConfigBlock {

  public static final String TOPIC = "nlp.summaries.topic";
  public static final String MODELS = "nlp.summarization.models";
  public static final String NUM_BEAMS = "nlp.summarization.num.beams";
  public static final String MAX_NEW_TOKENS = "nlp.summarization.max.new.tokens";
  public static final String MIN_LENGTH = "nlp.summarization.min.length";
  public static final String MAX_ROUNDS = "nlp.summarization.max.rounds";
  public static final String PRECISION = "nlp.summarization.precision";
  public static final String DEFAULT_MODELS = "bundled:bart-tiny-summarizer";

  private static final String GROUP = "Summarization";

  public static final SummarizationConfig BLOCK = new SummarizationConfig();

  private SummarizationConfig() {}

  @Override
  public Task task() {
    return Task.SUMMARIZE;
  }

  @Override
  public String name() {
    return "summarize";
  }

  @Override
  public String outputTopicSetting() {
    return TOPIC;
  }

  @Override
  public String defaultOutputTopic() {
    return "summaries";
  }

  @Override
  public ConfigDef define(ConfigDef def) {
    def
        .define(TOPIC, Type.STRING, defaultOutputTopic(), new ConfigDef.NonEmptyString(),
            Importance.HIGH,
            "Topic that receives one Summary record per SUMMARIZE event, keyed by event id.",
            NlpStreamsConfig.GROUP_TOPICS, 7, ConfigDef.Width.MEDIUM, "Summaries topic")
        .define(MODELS, Type.LIST, DEFAULT_MODELS, Importance.HIGH,
            "Summarization models (Optimum export directories or 'bundled:<name>'); the first is"
                + " the default, options.summary.model (a model's directory name) picks another.",
            GROUP, 1, ConfigDef.Width.LONG, "Summarization models")
        .define(NUM_BEAMS, Type.INT, null, NlpStreamsConfig.nullableAtLeast(1), Importance.MEDIUM,
            "Beam width for summaries; empty keeps the model's generation_config.json.",
            GROUP, 2, ConfigDef.Width.SHORT, "Summary beams")
        .define(MAX_NEW_TOKENS, Type.INT, null, NlpStreamsConfig.nullableAtLeast(1),
            Importance.MEDIUM,
            "Most tokens per summary; empty keeps the model's max_length.",
            GROUP, 3, ConfigDef.Width.SHORT, "Summary max new tokens")
        .define(MIN_LENGTH, Type.INT, null, NlpStreamsConfig.nullableAtLeast(0), Importance.LOW,
            "Hugging Face min_length of summaries; empty keeps the model's.",
            GROUP, 4, ConfigDef.Width.SHORT, "Summary min length")
        .define(MAX_ROUNDS, Type.INT, 3, Range.between(1, 10), Importance.LOW,
            "A text longer than the model reads is summarized chunk by chunk; while the joined"
                + " chunk summaries are longer than one summary may be (max new tokens), they are"
                + " summarized again, up to this many rounds in all.",
            GROUP, 5, ConfigDef.Width.SHORT, "Summary rounds");
    return ModelPrecision.define(def, PRECISION, "every summarization model", GROUP, 6,
        "Summarization precision");
  }

  @Override
  public void check(AbstractConfig config, boolean enabled) {
    if (enabled && models(config).isEmpty()) {
      throw new ConfigException(MODELS + " is empty but " + NlpStreamsConfig.TASKS
          + " includes summarize; configure a model or remove the task.");
    }
  }

  public List<String> models(AbstractConfig config) {
    return config.getList(MODELS).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /** Pipeline-level Hugging Face generation overrides (only the set ones). */
  public Map<String, Object> generationOverrides(AbstractConfig config) {
    Map<String, Object> layer = new LinkedHashMap<>();
    NlpStreamsConfig.putIfSet(layer, "num_beams", config.getInt(NUM_BEAMS));
    NlpStreamsConfig.putIfSet(layer, "max_new_tokens", config.getInt(MAX_NEW_TOKENS));
    NlpStreamsConfig.putIfSet(layer, "min_length", config.getInt(MIN_LENGTH));
    return layer;
  }

  public int maxRounds(AbstractConfig config) {
    return config.getInt(MAX_ROUNDS);
  }

  /** Which graphs of the model directory run (fp32: onnx/*.onnx, int8: onnx/*_quantized.onnx). */
  public ModelPrecision precision(AbstractConfig config) {
    return ModelPrecision.parse(config.getString(PRECISION));
  }
}
