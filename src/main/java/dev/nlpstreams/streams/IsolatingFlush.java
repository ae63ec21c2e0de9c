package dev.nlpstreams.streams;

import dev.nlpstreams.text.task.InferenceException;
import dev.nlpstreams.text.task.InferenceStoppedException;
import dev.nlpstreams.text.task.InferenceTimeoutException;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One flush of a micro-batch, run on an inference thread: the whole batch first; when it fails,
 * halves until every failing record stands alone, so one bad record costs about log2(n) extra runs
 * and never the batch.
 *
 * <p>Timeouts are isolated more cheaply than errors: the halves of a batch that timed out get half
 * its deadline (a stalled record then costs about twice the deadline in all, not the deadline per
 * level), and all isolation after the first failure must end within {@link #ISOLATION_BUDGET}
 * deadlines; whatever is still unresolved then fails with the error that started it.
 */
final class IsolatingFlush {

  private static final Logger LOG = LoggerFactory.getLogger(IsolatingFlush.class);
  /** Isolation may take this many run deadlines after the first failure. */
  static final int ISOLATION_BUDGET = 3;
  /** The smallest deadline a split retry gets, as a fraction of the task's run deadline. */
  private static final int MIN_DEADLINE_FRACTION = 16;

  /** A record's result, or why it failed. */
  record Outcome(SpecificRecord value, Exception error) {}

  private final BatchTask task;
  private final List<PendingRecord> batch;
  private final Outcome[] outcomes;
  /** True once nobody will use the outcomes (every owner closed): stop at the next model run. */
  private final BooleanSupplier abandoned;
  private long isolationDeadlineNanos = Long.MAX_VALUE;

  IsolatingFlush(BatchTask task, List<PendingRecord> batch, BooleanSupplier abandoned) {
    this.task = task;
    this.batch = List.copyOf(batch);
    this.outcomes = new Outcome[batch.size()];
    this.abandoned = abandoned;
  }

  /**
   * Runs the batch; one outcome per record, in batch order.
   *
   * @throws InferenceStoppedException when the model is closing or the flush was abandoned: its
   *     records stay buffered and run again after the restart or rebalance
   */
  Outcome[] run() throws InferenceStoppedException {
    runIsolated(0, batch.size(), task.runTimeoutMs());
    return outcomes;
  }

  private void runIsolated(int from, int to, long timeoutMs) throws InferenceStoppedException {
    if (from >= to) {
      return;
    }
    if (abandoned.getAsBoolean()) {
      throw new InferenceStoppedException("The flush was abandoned by its stream tasks", null);
    }
    try {
      List<SpecificRecord> values = task.run(batch.subList(from, to), timeoutMs);
      if (values.size() != to - from) {
        throw new InferenceException("Task returned " + values.size() + " results for "
            + (to - from) + " records");
      }
      for (int i = from; i < to; i++) {
        outcomes[i] = new Outcome(values.get(i - from), null);
      }
    } catch (InferenceStoppedException e) {
      throw e;
    } catch (InferenceException | RuntimeException e) {
      isolate(from, to, timeoutMs, e);
    } catch (OutOfMemoryError | StackOverflowError e) {
      // A direct-buffer reservation a large batch's tensors did not get, or a deep recursion: a
      // smaller batch may well run, and a record that cannot must become a dead letter, not a
      // thread failure that restores and reruns the same batch for ever. (A heap exhausted with
      // -XX:+ExitOnOutOfMemoryError ends the JVM before this line.)
      isolate(from, to, timeoutMs, new InferenceException("The " + task.task() + " run failed: "
          + e, e));
    }
  }

  private void isolate(int from, int to, long timeoutMs, Exception e)
      throws InferenceStoppedException {
    if (to - from == 1) {
      outcomes[from] = new Outcome(null, e);
      return;
    }
    long now = System.nanoTime();
    if (isolationDeadlineNanos == Long.MAX_VALUE) {
      isolationDeadlineNanos = now + ISOLATION_BUDGET * task.runTimeoutMs() * 1_000_000;
    } else if (now > isolationDeadlineNanos) {
      LOG.warn("Isolating failures in a {} batch took longer than {} run deadlines; {} records"
          + " fail with the error that started it", task.task(), ISOLATION_BUDGET, to - from);
      for (int i = from; i < to; i++) {
        outcomes[i] = new Outcome(null, e);
      }
      return;
    }
    boolean timedOut = e instanceof InferenceTimeoutException;
    long halfTimeout = timedOut
        ? Math.max(task.runTimeoutMs() / MIN_DEADLINE_FRACTION, timeoutMs / 2) : timeoutMs;
    LOG.warn("A {}-record {} batch failed ({}); splitting it to isolate the cause", to - from,
        task.task(), e.toString());
    int middle = (from + to) >>> 1;
    runIsolated(from, middle, halfTimeout);
    runIsolated(middle, to, halfTimeout);
  }
}
