package dev.nlpstreams.app.tasks;

import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.streams.NlpTopology;
import dev.nlpstreams.streams.TaskStage;
import java.util.List;

/** The one list of task modules the application configures, loads and wires. */
public final class TaskModules {

  /** Every task module, in the order their models are loaded and summarised. */
  public static final List<TaskModule> ALL = List.of(new NerModule(), new TranslationModule(),
      new SummarizationModule(), new EmbedModule());

  private TaskModules() {}

  /**
   * The stages of {@code settings.tasks()} with no models behind them: the topology they make
   * can be described, not run.
   */
  public static List<TaskStage> stagesWithoutModels(NlpStreamsConfig config,
      NlpTopology.Settings settings) {
    return ALL.stream().filter(module -> settings.tasks().contains(module.task()))
        .map(module -> module.stageWithoutModels(config, settings)).toList();
  }

  /** The module of {@code task}. */
  public static TaskModule of(Task task) {
    return ALL.stream().filter(module -> module.task() == task).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No task module for " + task
            + "; add one to TaskModules.ALL"));
  }
}
