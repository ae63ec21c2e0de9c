package dev.nlpstreams.app.tasks;

import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.config.TaskConfigBlock;
import dev.nlpstreams.schema.AvroCodec;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.streams.NlpTopology;
import dev.nlpstreams.streams.TaskStage;
import org.apache.avro.specific.SpecificRecord;

/**
 * One NLP task as a unit: its configuration block, its output contract, how its models are
 * loaded and how its topology stage is made from them. Adding a task means adding one of these
 * to {@link TaskModules#ALL} (and its block to {@code TaskConfigBlocks.ALL}).
 */
public interface TaskModule {

  /** The task's settings, output topic and checks. */
  TaskConfigBlock config();

  default Task task() {
    return config().task();
  }

  /** The task's name in {@code nlp.tasks}. */
  default String name() {
    return config().name();
  }

  /** The codec of the record the task writes to its output topic (for tools that read it). */
  AvroCodec<? extends SpecificRecord> outputCodec();

  /** What the embedded demo sends for this task and how it prints the task's results. */
  TaskDemo demo();

  /**
   * Loads the task's models through {@code loader}, which owns them from then on (closing,
   * stopping, warm-up, metrics), and returns what makes the task's stage.
   */
  LoadedTask load(NlpStreamsConfig config, ModelLoader loader);

  /**
   * The task's stage with no models behind it: enough to build and describe the topology (its
   * shape does not depend on the models), not to run it.
   */
  TaskStage stageWithoutModels(NlpStreamsConfig config, NlpTopology.Settings settings);
}
