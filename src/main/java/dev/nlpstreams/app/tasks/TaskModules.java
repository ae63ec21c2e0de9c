package dev.nlpstreams.app.tasks;

import dev.nlpstreams.schema.avro.Task;
import java.util.List;

/** The one list of task modules the application configures, loads and wires. */
public final class TaskModules {

  /** Every task module, in the order their models are loaded and summarised. */
  public static final List<TaskModule> ALL = List.of(new NerModule(), new TranslationModule(),
      new SummarizationModule(), new EmbedModule());

  private TaskModules() {}

  /** The module of {@code task}. */
  public static TaskModule of(Task task) {
    return ALL.stream().filter(module -> module.task() == task).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No task module for " + task
            + "; add one to TaskModules.ALL"));
  }
}
