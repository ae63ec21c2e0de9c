package dev.nlpstreams.app.tasks;

import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.config.TaskConfigBlock;
import dev.nlpstreams.config.TranslationConfig;
import dev.nlpstreams.config.TranslationModelSpec;
import dev.nlpstreams.inference.ModelResolver;
import dev.nlpstreams.schema.AvroCodec;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.streams.BuiltInStages;
import dev.nlpstreams.streams.NlpTopology;
import dev.nlpstreams.streams.TaskStage;
import dev.nlpstreams.text.task.TextGenerator;
import dev.nlpstreams.text.translation.LanguagePair;
import dev.nlpstreams.text.translation.TranslationModelCapabilities;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translation: every configured sequence-to-sequence model with what it can translate;
 * Translation records on the translations topic.
 */
final class TranslationModule implements TaskModule {

  private static final Logger LOG = LoggerFactory.getLogger(TranslationModule.class);

  @Override
  public TaskConfigBlock config() {
    return TranslationConfig.BLOCK;
  }

  @Override
  public AvroCodec<? extends SpecificRecord> outputCodec() {
    return Codecs.TRANSLATION;
  }

  @Override
  public TaskDemo demo() {
    return new TranslationDemo();
  }

  @Override
  public LoadedTask load(NlpStreamsConfig config, ModelLoader loader) {
    Map<String, TextGenerator> translators = new LinkedHashMap<>();
    List<TranslationModelCapabilities> routes = new ArrayList<>();
    for (TranslationModelSpec spec : TranslationConfig.BLOCK.models(config)) {
      ModelResolver.ResolvedModel model = loader.resolve(spec.location(),
          TranslationConfig.BLOCK.precision(config));
      TextGenerator generator = loader.port(Task.TRANSLATE, TextGenerator.class,
          GeneratorLoading.load(loader, model, "translation",
              TranslationConfig.BLOCK.precision(config)));
      if (translators.putIfAbsent(model.name(), generator) != null) {
        throw new ConfigException(TranslationConfig.MODELS + " lists two models named '"
            + model.name() + "'; directory names identify models in outputs and options, so"
            + " they must differ.");
      }
      routes.add(capabilities(model.name(), spec, generator));
    }
    BuiltInStages.TranslationSettings translation = translationSettings(config);
    return settings -> BuiltInStages.translate(settings, translators, routes, translation);
  }

  @Override
  public TaskStage stageWithoutModels(NlpStreamsConfig config, NlpTopology.Settings settings) {
    return BuiltInStages.translate(settings, Map.of(), List.of(), translationSettings(config));
  }

  private static BuiltInStages.TranslationSettings translationSettings(NlpStreamsConfig config) {
    TranslationConfig block = TranslationConfig.BLOCK;
    return new BuiltInStages.TranslationSettings(block.defaultTargetLanguage(config),
        block.detectLanguage(config), block.generationOverrides(config));
  }

  /**
   * What a translation model can do: its configured direction, else the languages it declares
   * (multilingual language tokens or T5 task prefixes).
   */
  static TranslationModelCapabilities capabilities(String name, TranslationModelSpec spec,
      TextGenerator generator) {
    if (spec.pair() != null) {
      return new TranslationModelCapabilities(name, Set.of(spec.pair()), Set.of());
    }
    Set<LanguagePair> prefixed = new LinkedHashSet<>();
    for (String pair : generator.prefixedLanguagePairs()) {
      prefixed.add(LanguagePair.parse(pair));
    }
    if (prefixed.isEmpty() && generator.languages().isEmpty()) {
      throw new ConfigException(TranslationConfig.MODELS + ": model '" + name
          + "' declares no languages (no language tokens, no translation_xx_to_yy task"
          + " prefixes); give its direction instead of '*', for example en->de=" + spec.location());
    }
    TranslationModelCapabilities capabilities =
        new TranslationModelCapabilities(name, prefixed, generator.languages());
    LOG.info("Translation model {}: pairs {}, languages {}", name, prefixed,
        generator.languages());
    return capabilities;
  }
}
