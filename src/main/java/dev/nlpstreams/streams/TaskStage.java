package dev.nlpstreams.streams;

import dev.nlpstreams.schema.avro.Task;
import java.util.Objects;

/**
 * One task's part of the topology: its micro-batch node, buffer store and sink, and the batch
 * task its engine runs. The topology adds one stage per configured task and names no task itself.
 *
 * <p>The node, store and sink names are part of the topology's contract: changing one makes an
 * upgraded processor unable to restore the buffers an older one left (see
 * {@code topology/topology.txt}).
 */
public record TaskStage(Task task, String batchNode, String bufferStore, String sinkNode,
    BatchTask batchTask) {

  public TaskStage {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(batchNode, "batchNode");
    Objects.requireNonNull(bufferStore, "bufferStore");
    Objects.requireNonNull(sinkNode, "sinkNode");
    Objects.requireNonNull(batchTask, "batchTask");
    if (batchTask.task() != task) {
      throw new IllegalArgumentException("The stage of " + task + " was given the batch task of "
          + batchTask.task());
    }
    if (!batchTask.outputNode().equals(sinkNode)) {
      throw new IllegalArgumentException("The batch task of " + task + " forwards to "
          + batchTask.outputNode() + ", not to the stage's sink " + sinkNode);
    }
  }
}
