package dev.nlpstreams.app.tasks;

import dev.nlpstreams.streams.NlpTopology;
import dev.nlpstreams.streams.TaskStage;

/**
 * A task whose models are loaded: makes the task's topology stage once the topology's settings
 * are known (they depend on the device the models ended up on).
 */
@FunctionalInterface
public interface LoadedTask {
  TaskStage stage(NlpTopology.Settings settings);
}
