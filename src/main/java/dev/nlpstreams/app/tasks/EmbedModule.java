package dev.nlpstreams.app.tasks;

import dev.nlpstreams.config.EmbedConfig;
import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.config.TaskConfigBlock;
import dev.nlpstreams.inference.ModelResolver;
import dev.nlpstreams.inference.OnnxSentenceEmbedder;
import dev.nlpstreams.schema.AvroCodec;
import dev.nlpstreams.schema.avro.Embedding;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.streams.NlpTopology;
import dev.nlpstreams.streams.TaskStage;
import dev.nlpstreams.text.embedding.SentenceEmbedder;
import org.apache.avro.specific.SpecificRecord;

/**
 * Sentence embeddings: one Sentence-Transformers model; Embedding records on the embeddings
 * topic. The whole task (names, loading, stage) is here, as a new task's would be.
 */
public final class EmbedModule implements TaskModule {

  // The topology's contract: the store name decides which changelog an upgrade restores.
  public static final String BATCH_NODE = "embed-micro-batch";
  public static final String BUFFER_STORE = "embed-batch-buffer";
  public static final String SINK_NODE = "embeddings-sink";

  /** The Embedding contract; codecs are thread-safe, so one serves every reader. */
  public static final AvroCodec<Embedding> CODEC = new AvroCodec<>(Embedding.getClassSchema());

  @Override
  public TaskConfigBlock config() {
    return EmbedConfig.BLOCK;
  }

  @Override
  public AvroCodec<? extends SpecificRecord> outputCodec() {
    return CODEC;
  }

  @Override
  public TaskDemo demo() {
    return new EmbedDemo();
  }

  @Override
  public LoadedTask load(NlpStreamsConfig config, ModelLoader loader) {
    ModelResolver.ResolvedModel model = loader.resolve(EmbedConfig.BLOCK.model(config),
        EmbedConfig.BLOCK.precision(config));
    OnnxSentenceEmbedder embedder = OnnxSentenceEmbedder.load(model.directory(), model.name(),
        EmbedConfig.BLOCK.normalize(config),
        loader.encoderSettings().withPrecision(EmbedConfig.BLOCK.precision(config)));
    loader.register(new ManagedModel("embeddings", embedder.identity().name(),
        embedder.identity(), embedder, embedder::stopRuns, embedder::onModelRun,
        embedder::warmUp));
    SentenceEmbedder port = loader.port(Task.EMBED, SentenceEmbedder.class, embedder);
    return settings -> stage(settings, port);
  }

  @Override
  public TaskStage stageWithoutModels(NlpStreamsConfig config, NlpTopology.Settings settings) {
    return stage(settings, null);
  }

  /** The embed stage over {@code embedder}: for the application and for topology tests. */
  public static TaskStage stage(NlpTopology.Settings settings, SentenceEmbedder embedder) {
    return new TaskStage(Task.EMBED, BATCH_NODE, BUFFER_STORE, SINK_NODE,
        new EmbedBatchTask(embedder, SINK_NODE, settings.encoderRunTimeoutMs()));
  }
}
