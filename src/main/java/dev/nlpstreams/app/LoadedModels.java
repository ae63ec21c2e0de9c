package dev.nlpstreams.app;

import dev.nlpstreams.app.tasks.LoadedTask;
import dev.nlpstreams.app.tasks.ManagedModel;
import dev.nlpstreams.app.tasks.ModelLoader;
import dev.nlpstreams.app.tasks.PortWrapper;
import dev.nlpstreams.app.tasks.TaskModule;
import dev.nlpstreams.app.tasks.TaskModules;
import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.ModelResolver;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.streams.NlpTopology;
import dev.nlpstreams.streams.TaskStage;
import dev.nlpstreams.text.task.ModelRunListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every model the configured tasks need, loaded once per process by their task modules and shared
 * by all stream threads; closing it closes every native session and removes extracted bundled
 * models.
 */
final class LoadedModels implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LoadedModels.class);

  /** A loaded model and the task (its {@code nlp.tasks} name) that loaded it. */
  record TaskModel(String task, ManagedModel model) {}

  private final List<ModelResolver.ResolvedModel> resolved = new ArrayList<>();
  private final List<TaskModel> models = new ArrayList<>();
  private final List<LoadedTask> tasks = new ArrayList<>();

  private LoadedModels() {}

  static LoadedModels load(NlpStreamsConfig config) {
    return load(config, PortWrapper.NONE);
  }

  /** Loads the models of every configured task, in module order; {@code ports} wraps them. */
  static LoadedModels load(NlpStreamsConfig config, PortWrapper ports) {
    LoadedModels loaded = new LoadedModels();
    try {
      InferenceSettings encoder = NlpStreamsApp.inferenceSettings(config);
      InferenceSettings generation = NlpStreamsApp.generationInferenceSettings(config);
      Set<Task> configured = config.tasks();
      for (TaskModule module : TaskModules.ALL) {
        if (configured.contains(module.task())) {
          loaded.tasks.add(module.load(config,
              loaded.loaderFor(module.name(), encoder, generation, ports)));
        }
      }
      return loaded;
    } catch (RuntimeException e) {
      loaded.close();
      throw e;
    }
  }

  private ModelLoader loaderFor(String task, InferenceSettings encoder,
      InferenceSettings generation, PortWrapper ports) {
    return new ModelLoader() {
      @Override
      public ModelResolver.ResolvedModel resolve(String location,
          dev.nlpstreams.config.ModelPrecision precision) {
        ModelResolver.ResolvedModel model = ModelResolver.resolve(location, precision);
        resolved.add(model);
        return model;
      }

      @Override
      public InferenceSettings encoderSettings() {
        return encoder;
      }

      @Override
      public InferenceSettings generationSettings() {
        return generation;
      }

      @Override
      public void register(ManagedModel model) {
        models.add(new TaskModel(task, model));
      }

      @Override
      public <T> T port(Task forTask, Class<T> type, T model) {
        return ports.wrap(forTask, type, model);
      }
    };
  }

  /** The configured tasks' stages, in module order. */
  List<TaskStage> stages(NlpTopology.Settings settings) {
    return tasks.stream().map(task -> task.stage(settings)).toList();
  }

  /** Every loaded model with its task, in loading order (model info meters). */
  List<TaskModel> models() {
    return List.copyOf(models);
  }

  /**
   * Where the models run: a CUDA device when any loaded model runs on one, otherwise {@code cpu}.
   * All models follow one {@code nlp.inference.device}, so they agree unless one fell back.
   */
  String device() {
    return models.stream().map(m -> m.model().identity().device())
        .filter(d -> d.startsWith("cuda")).findFirst().orElse("cpu");
  }

  String summary() {
    List<String> parts = new ArrayList<>();
    for (TaskModel loaded : models) {
      ManagedModel model = loaded.model();
      parts.add(model.role() + " " + model.name() + " on " + model.identity().device());
    }
    return String.join(", ", parts);
  }

  /** Runs every model once, so that the first real batches run at full speed. */
  void warmUp() {
    long started = System.nanoTime();
    models.forEach(m -> m.model().warmUp().run());
    LOG.info("Warmed up {} model(s) in {} ms", models.size(),
        (System.nanoTime() - started) / 1_000_000);
  }

  /** Tells {@code listener} about every run of every loaded model (the application's metrics). */
  void onModelRun(ModelRunListener listener) {
    models.forEach(m -> m.model().runObserver().accept(listener));
  }

  /** The first loaded model of {@code type}, or null. */
  <T> T model(Class<T> type) {
    return models.stream().map(m -> m.model().model()).filter(type::isInstance).map(type::cast)
        .findFirst().orElse(null);
  }

  /**
   * Refuses new model runs, stops those in flight and waits for them to return.
   *
   * @return true when no run is in flight any more
   */
  boolean stopRuns(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean allStopped = true;
    for (TaskModel loaded : models) {
      long remaining = Math.max(0, deadline - System.nanoTime());
      allStopped &= loaded.model().stopRuns().test(Duration.ofNanos(remaining));
    }
    return allStopped;
  }

  @Override
  public void close() {
    for (int i = models.size() - 1; i >= 0; i--) {
      try {
        models.get(i).model().model().close();
      } catch (Exception e) {
        LOG.warn("Closing a model failed: {}", e.toString());
      }
    }
    models.clear();
    resolved.forEach(ModelResolver::cleanUp);
    resolved.clear();
  }
}
