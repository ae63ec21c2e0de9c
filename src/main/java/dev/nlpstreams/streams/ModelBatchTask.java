package dev.nlpstreams.streams;

import dev.nlpstreams.text.task.InferenceException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * A batch task in two steps, as DJL's Translator splits pre- and post-processing from the model
 * call: {@link #infer} asks the task's model port for one result per record, and {@link #assemble}
 * turns one record's result into its output record without touching a model, so it can be tested
 * on hand-made results. The record was planned before it was buffered ({@link #plan}).
 *
 * @param <R> what the model work yields for one record
 */
public abstract class ModelBatchTask<R> implements BatchTask {

  /** When the batch's model work started and how long it took, for each output's timings. */
  public record BatchRun(long startedAtMs, long inferenceMs, int batchSize) {}

  /**
   * The model work of the batch: one result per record, in order. Runs on an inference thread.
   *
   * @throws InferenceException when the batch failed; the flush then splits it to find the cause
   */
  protected abstract List<R> infer(List<PendingRecord> batch, long timeoutMs)
      throws InferenceException;

  /** The output record of {@code record}, from its result alone. */
  protected abstract SpecificRecord assemble(PendingRecord record, R result, BatchRun run);

  @Override
  public final List<SpecificRecord> run(List<PendingRecord> batch, long timeoutMs)
      throws InferenceException {
    long startedAtMs = System.currentTimeMillis();
    long started = System.nanoTime();
    List<R> results = infer(batch, timeoutMs);
    if (results.size() != batch.size()) {
      throw new InferenceException("The " + task() + " model work returned " + results.size()
          + " results for " + batch.size() + " records");
    }
    BatchRun run = new BatchRun(startedAtMs, (System.nanoTime() - started) / 1_000_000,
        batch.size());
    List<SpecificRecord> outputs = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      outputs.add(assemble(batch.get(i), results.get(i), run));
    }
    return outputs;
  }
}
