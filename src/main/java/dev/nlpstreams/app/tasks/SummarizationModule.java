package dev.nlpstreams.app.tasks;

import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.config.SummarizationConfig;
import dev.nlpstreams.config.TaskConfigBlock;
import dev.nlpstreams.inference.ModelResolver;
import dev.nlpstreams.schema.AvroCodec;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.streams.BuiltInStages;
import dev.nlpstreams.streams.NlpTopology;
import dev.nlpstreams.streams.TaskStage;
import dev.nlpstreams.text.task.TextGenerator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** Summarization: the configured models, the first the default; Summary records. */
final class SummarizationModule implements TaskModule {

  @Override
  public TaskConfigBlock config() {
    return SummarizationConfig.BLOCK;
  }

  @Override
  public AvroCodec<? extends SpecificRecord> outputCodec() {
    return Codecs.SUMMARY;
  }

  @Override
  public TaskDemo demo() {
    return new SummarizationDemo();
  }

  @Override
  public LoadedTask load(NlpStreamsConfig config, ModelLoader loader) {
    Map<String, TextGenerator> summarizers = new LinkedHashMap<>();
    for (String location : SummarizationConfig.BLOCK.models(config)) {
      ModelResolver.ResolvedModel model = loader.resolve(location,
          SummarizationConfig.BLOCK.precision(config));
      summarizers.put(model.name(), loader.port(Task.SUMMARIZE, TextGenerator.class,
          GeneratorLoading.load(loader, model, "summaries",
              SummarizationConfig.BLOCK.precision(config))));
    }
    Map<String, Object> overrides = SummarizationConfig.BLOCK.generationOverrides(config);
    return settings -> BuiltInStages.summarize(settings, summarizers, overrides);
  }

  @Override
  public TaskStage stageWithoutModels(NlpStreamsConfig config, NlpTopology.Settings settings) {
    return BuiltInStages.summarize(settings, Map.of(),
        SummarizationConfig.BLOCK.generationOverrides(config));
  }
}
