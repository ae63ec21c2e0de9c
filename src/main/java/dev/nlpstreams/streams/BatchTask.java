package dev.nlpstreams.streams;

import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.text.task.InferenceException;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * What a micro-batch buffer runs when it flushes: one task over a batch of buffered records. The
 * buffer owns ordering, failure isolation and forwarding; the task owns the model call and the
 * output encoding. Public because task modules outside this package put one into their
 * {@link TaskStage}.
 */
public interface BatchTask {

  Task task();

  /** Name of the sink node that receives this task's results. */
  String outputNode();

  /**
   * Why the event's options for this task cannot be honoured (checked when the event is decoded,
   * before it occupies a buffer), or null when they can.
   */
  default OptionError checkOptions(TextEvent event) {
    return null;
  }

  /**
   * Checks and plans the record once, when it is decoded: an {@link OptionError} dead-letters it;
   * a {@link TaskPlan} goes into its buffer entry. Tasks with costly decisions (translation
   * detects the source language) override this and read their facts back in {@link #run}.
   */
  default PlanOutcome plan(TextEvent event) {
    OptionError error = checkOptions(event);
    return error != null ? error : TaskPlan.ofTokens(countTokens(event));
  }

  /** Tokens the event will cost, for the buffer's token budget. */
  int countTokens(TextEvent event);

  /** The deadline of one model run of this task (ms); split retries get less. */
  long runTimeoutMs();

  /**
   * Runs the batch and returns one output record per input record, in order. Runs on an
   * inference thread, never on a stream thread.
   *
   * @param timeoutMs the most any one model run may take before it is cancelled
   * @throws InferenceException when the batch failed; the flush then splits it to find the cause
   */
  List<SpecificRecord> run(List<PendingRecord> batch, long timeoutMs) throws InferenceException;
}
