package dev.nlpstreams.config;

import dev.nlpstreams.schema.avro.Task;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** The embed task's settings: its sentence-embedding model and whether vectors are normalised. */
public final class EmbedConfig implements TaskConfigBlock {

  public static final String TOPIC = "nlp.embeddings.topic";
  public static final String MODEL = "nlp.embed.model";
  public static final String NORMALIZE = "nlp.embed.normalize";
  public static final String PRECISION = "nlp.embed.precision";

  private static final String GROUP = "Embeddings";

  public static final EmbedConfig BLOCK = new EmbedConfig();

  private EmbedConfig() {}

  @Override
  public Task task() {
    return Task.EMBED;
  }

  @Override
  public String name() {
    return "embed";
  }

  @Override
  public String outputTopicSetting() {
    return TOPIC;
  }

  @Override
  public String defaultOutputTopic() {
    return "embeddings";
  }

  @Override
  public ConfigDef define(ConfigDef def) {
    def
        .define(TOPIC, Type.STRING, defaultOutputTopic(), new ConfigDef.NonEmptyString(),
            Importance.MEDIUM,
            "Topic that receives one Embedding record per EMBED event, keyed by event id.",
            NlpStreamsConfig.GROUP_TOPICS, 9, ConfigDef.Width.MEDIUM, "Embeddings topic")
        .define(MODEL, Type.STRING, "", Importance.HIGH,
            "Sentence-embedding model for the embed task: a directory in the Hugging Face /"
                + " Sentence-Transformers export layout (config.json, tokenizer.json,"
                + " onnx/model.onnx or onnx/model_quantized.onnx, optional 1_Pooling/config.json"
                + " and sentence_bert_config.json), or hf:owner/name[@revision]. Pooling follows"
                + " 1_Pooling/config.json (mean when absent). Required when nlp.tasks includes"
                + " embed.",
            GROUP, 1, ConfigDef.Width.LONG, "Embedding model")
        .define(NORMALIZE, Type.BOOLEAN, true, Importance.MEDIUM,
            "Scale every vector to unit length (as Sentence-Transformers' Normalize module does),"
                + " so that a dot product is the cosine similarity.",
            GROUP, 2, ConfigDef.Width.SHORT, "Normalize embeddings");
    return ModelPrecision.define(def, PRECISION, "the embedding model (fp32 falls back to"
        + " onnx/model_quantized.onnx when it is the only graph)", GROUP, 3,
        "Embedding precision");
  }

  @Override
  public void check(AbstractConfig config, boolean enabled) {
    if (enabled && model(config) == null) {
      throw new ConfigException(MODEL + " is empty but " + NlpStreamsConfig.TASKS
          + " includes embed; configure a sentence-embedding model (for example a"
          + " Sentence-Transformers export such as all-MiniLM-L6-v2) or remove the task.");
    }
  }

  /** The sentence-embedding model location, or null when none is configured. */
  public String model(AbstractConfig config) {
    String model = config.getString(MODEL);
    return model == null || model.isBlank() ? null : model.strip();
  }

  public boolean normalize(AbstractConfig config) {
    return config.getBoolean(NORMALIZE);
  }

  /** Which graphs of the model directory run (fp32: onnx/*.onnx, int8: onnx/*_quantized.onnx). */
  public ModelPrecision precision(AbstractConfig config) {
    return ModelPrecision.parse(config.getString(PRECISION));
  }
}
