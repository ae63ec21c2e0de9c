package dev.nlpstreams.app.tasks;

import dev.nlpstreams.config.NerConfig;
import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.config.TaskConfigBlock;
import dev.nlpstreams.inference.ModelResolver;
import dev.nlpstreams.inference.OnnxEntityRecognizer;
import dev.nlpstreams.schema.AvroCodec;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.streams.BuiltInStages;
import dev.nlpstreams.streams.NlpTopology;
import dev.nlpstreams.streams.TaskStage;
import dev.nlpstreams.text.task.EntityRecognizer;
import org.apache.avro.specific.SpecificRecord;

/** NER: one token-classification model; Entities records on the entities topic. */
final class NerModule implements TaskModule {

  @Override
  public TaskConfigBlock config() {
    return NerConfig.BLOCK;
  }

  @Override
  public AvroCodec<? extends SpecificRecord> outputCodec() {
    return Codecs.ENTITIES;
  }

  @Override
  public TaskDemo demo() {
    return new NerDemo();
  }

  @Override
  public LoadedTask load(NlpStreamsConfig config, ModelLoader loader) {
    NerConfig ner = NerConfig.BLOCK;
    ModelResolver.ResolvedModel model = loader.resolve(ner.model(config), ner.precision(config));
    OnnxEntityRecognizer recognizer = OnnxEntityRecognizer.load(model.directory(), model.name(),
        ner.maxLength(config), ner.windowStride(config),
        loader.encoderSettings().withPrecision(ner.precision(config)));
    loader.register(new ManagedModel("NER", recognizer.identity().name(),
        recognizer.identity(), recognizer, recognizer::stopRuns, recognizer::onModelRun,
        recognizer::warmUp));
    EntityRecognizer port = loader.port(Task.NER, EntityRecognizer.class, recognizer);
    return settings -> BuiltInStages.ner(settings, port, ner.aggregationStrategy(config));
  }

  @Override
  public TaskStage stageWithoutModels(NlpStreamsConfig config, NlpTopology.Settings settings) {
    return BuiltInStages.ner(settings, null, NerConfig.BLOCK.aggregationStrategy(config));
  }
}
