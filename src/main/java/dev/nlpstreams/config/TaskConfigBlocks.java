package dev.nlpstreams.config;

import java.util.List;

/** Every task's configuration block, in the order the tasks are listed in {@code nlp.tasks}' docs. */
public final class TaskConfigBlocks {

  /**
   * The one list of task configuration blocks. The order is user-facing: it is the order of the
   * valid values of {@code nlp.tasks} in the configuration reference.
   */
  public static final List<TaskConfigBlock> ALL = List.of(NerConfig.BLOCK,
      TranslationConfig.BLOCK, SummarizationConfig.BLOCK, EmbedConfig.BLOCK);

  private TaskConfigBlocks() {}

  /** The task names in {@link #ALL}'s order. */
  public static List<String> names() {
    return ALL.stream().map(TaskConfigBlock::name).toList();
  }
}
