package dev.nlpstreams.app;

import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.config.TranslationModelSpec;
import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.ModelResolver;
import dev.nlpstreams.inference.OnnxEntityRecognizer;
import dev.nlpstreams.inference.OnnxSentenceEmbedder;
import dev.nlpstreams.inference.seq2seq.OnnxTextGenerator;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.streams.TaskEngines;
import dev.nlpstreams.text.task.TextGenerator;
import dev.nlpstreams.text.translation.LanguagePair;
import dev.nlpstreams.text.translation.TranslationModelCapabilities;
import dev.nlpstreams.text.task.ModelRunListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every model the configured tasks need, loaded once per process and shared by all stream threads;
 * closing it closes every native session and removes extracted bundled models.
 */
final class LoadedModels implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LoadedModels.class);

  private final List<ModelResolver.ResolvedModel> resolved = new ArrayList<>();
  private final List<AutoCloseable> loaded = new ArrayList<>();
  private final List<java.util.function.Predicate<java.time.Duration>> runStoppers =
      new ArrayList<>();
  private final List<java.util.function.Consumer<ModelRunListener>> runObservers =
      new ArrayList<>();
  private final List<Runnable> warmUps = new ArrayList<>();
  private OnnxEntityRecognizer recognizer;
  private final Map<String, TextGenerator> translators = new LinkedHashMap<>();
  private final List<TranslationModelCapabilities> routes = new ArrayList<>();
  private final Map<String, TextGenerator> summarizers = new LinkedHashMap<>();
  private OnnxSentenceEmbedder embedder;

  private LoadedModels() {}

  static LoadedModels load(NlpStreamsConfig config) {
    LoadedModels models = new LoadedModels();
    try {
      InferenceSettings settings = NlpStreamsApp.inferenceSettings(config);
      InferenceSettings generation = NlpStreamsApp.generationInferenceSettings(config);
      Set<Task> tasks = config.tasks();
      if (tasks.contains(Task.NER)) {
        ModelResolver.ResolvedModel model = models.resolve(config.nerModel());
        models.recognizer = OnnxEntityRecognizer.load(model.directory(), model.name(),
            config.nerMaxLength(), config.nerWindowStride(), settings);
        models.loaded.add(models.recognizer);
        models.runStoppers.add(models.recognizer::stopRuns);
        models.runObservers.add(models.recognizer::onModelRun);
        models.warmUps.add(models.recognizer::warmUp);
      }
      if (tasks.contains(Task.TRANSLATE)) {
        for (TranslationModelSpec spec : config.translationModels()) {
          ModelResolver.ResolvedModel model = models.resolve(spec.location());
          TextGenerator generator = models.generator(model, generation);
          if (models.translators.putIfAbsent(model.name(), generator) != null) {
            throw new ConfigException(NlpStreamsConfig.TRANSLATION_MODELS + " lists two models"
                + " named '" + model.name() + "'; directory names identify models in outputs and"
                + " options, so they must differ.");
          }
          models.routes.add(capabilities(model.name(), spec, generator));
        }
      }
      if (tasks.contains(Task.SUMMARIZE)) {
        for (String location : config.summarizationModels()) {
          ModelResolver.ResolvedModel model = models.resolve(location);
          models.summarizers.put(model.name(), models.generator(model, generation));
        }
      }
      if (tasks.contains(Task.EMBED)) {
        ModelResolver.ResolvedModel model = models.resolve(config.embedModel());
        OnnxSentenceEmbedder embedder = OnnxSentenceEmbedder.load(model.directory(),
            model.name(), config.embedNormalize(), settings);
        models.embedder = embedder;
        models.loaded.add(embedder);
        models.runStoppers.add(embedder::stopRuns);
        models.runObservers.add(embedder::onModelRun);
        models.warmUps.add(embedder::warmUp);
      }
      return models;
    } catch (RuntimeException e) {
      models.close();
      throw e;
    }
  }

  private ModelResolver.ResolvedModel resolve(String location) {
    ModelResolver.ResolvedModel model = ModelResolver.resolve(location);
    resolved.add(model);
    return model;
  }

  private TextGenerator generator(ModelResolver.ResolvedModel model, InferenceSettings settings) {
    OnnxTextGenerator generator =
        OnnxTextGenerator.load(model.directory(), model.name(), settings);
    loaded.add(generator);
    runStoppers.add(generator::stopRuns);
    runObservers.add(generator::onModelRun);
    warmUps.add(generator::warmUp);
    return generator;
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
    Set<LanguagePair> prefixed = new java.util.LinkedHashSet<>();
    for (String pair : generator.prefixedLanguagePairs()) {
      prefixed.add(LanguagePair.parse(pair));
    }
    if (prefixed.isEmpty() && generator.languages().isEmpty()) {
      throw new ConfigException(NlpStreamsConfig.TRANSLATION_MODELS + ": model '" + name
          + "' declares no languages (no language tokens, no translation_xx_to_yy task"
          + " prefixes); give its direction instead of '*', for example en->de=" + spec.location());
    }
    TranslationModelCapabilities capabilities =
        new TranslationModelCapabilities(name, prefixed, generator.languages());
    LOG.info("Translation model {}: pairs {}, languages {}", name, prefixed,
        generator.languages());
    return capabilities;
  }

  TaskEngines engines() {
    return new TaskEngines(recognizer, translators, routes, summarizers, embedder);
  }

  /**
   * Where the models run: a CUDA device when any loaded model runs on one, otherwise {@code cpu}.
   * All models follow one {@code nlp.inference.device}, so they agree unless one fell back.
   */
  String device() {
    List<String> devices = new ArrayList<>();
    if (recognizer != null) {
      devices.add(recognizer.identity().device());
    }
    translators.values().forEach(g -> devices.add(g.identity().device()));
    summarizers.values().forEach(g -> devices.add(g.identity().device()));
    if (embedder != null) {
      devices.add(embedder.identity().device());
    }
    return devices.stream().filter(d -> d.startsWith("cuda")).findFirst().orElse("cpu");
  }

  String summary() {
    List<String> parts = new ArrayList<>();
    if (recognizer != null) {
      parts.add("NER " + recognizer.identity().name() + " on " + recognizer.identity().device());
    }
    translators.forEach((name, g) -> parts.add("translation " + name + " on "
        + g.identity().device()));
    summarizers.forEach((name, g) -> parts.add("summaries " + name + " on "
        + g.identity().device()));
    if (embedder != null) {
      parts.add("embeddings " + embedder.identity().name() + " on "
          + embedder.identity().device());
    }
    return String.join(", ", parts);
  }

  /** Runs every model once, so that the first real batches run at full speed. */
  void warmUp() {
    long started = System.nanoTime();
    warmUps.forEach(Runnable::run);
    LOG.info("Warmed up {} model(s) in {} ms", warmUps.size(),
        (System.nanoTime() - started) / 1_000_000);
  }

  /** Tells {@code listener} about every run of every loaded model (the application's metrics). */
  void onModelRun(ModelRunListener listener) {
    runObservers.forEach(observer -> observer.accept(listener));
  }

  OnnxEntityRecognizer recognizer() {
    return recognizer;
  }

  /**
   * Refuses new model runs, stops those in flight and waits for them to return.
   *
   * @return true when no run is in flight any more
   */
  boolean stopRuns(java.time.Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean allStopped = true;
    for (java.util.function.Predicate<java.time.Duration> stopper : runStoppers) {
      long remaining = Math.max(0, deadline - System.nanoTime());
      allStopped &= stopper.test(java.time.Duration.ofNanos(remaining));
    }
    return allStopped;
  }

  @Override
  public void close() {
    for (int i = loaded.size() - 1; i >= 0; i--) {
      try {
        loaded.get(i).close();
      } catch (Exception e) {
        LOG.warn("Closing a model failed: {}", e.toString());
      }
    }
    loaded.clear();
    resolved.forEach(ModelResolver::cleanUp);
    resolved.clear();
  }
}
