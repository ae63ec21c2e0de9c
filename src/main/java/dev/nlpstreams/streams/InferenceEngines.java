package dev.nlpstreams.streams;

import dev.nlpstreams.metrics.NlpMeters;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.text.batch.FlushPolicy;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The process's inference engines, one per task (and so per model family), and the threads they
 * run on, so that inference never runs on a stream thread: a stream thread that spends longer
 * than max.poll.interval.ms in one call is expelled from its group, and one longer than the
 * transaction timeout breaks exactly-once. Each task has its own threads, so a long generation
 * batch never holds back NER.
 *
 * <p>Created by the application before the topology, which registers one engine per task it runs
 * ({@link #engine}); closed after Kafka Streams has stopped. Tests use {@link #direct()}, which runs
 * a batch inline on the stream thread that dispatches it, or {@link #using} to run batches when
 * and in the order they like.
 */
public final class InferenceEngines implements AutoCloseable {

  private final int threadsPerTask;
  /** When set, every batch goes here instead of the engines' own threads (tests). */
  private final Executor override;
  private final boolean inline;
  private final Map<Task, ExecutorService> lanes = new EnumMap<>(Task.class);
  private final Map<Task, InferenceEngine> engines = new EnumMap<>(Task.class);
  /** Starts due batches for the engines with their own threads; created with the first one. */
  private ScheduledExecutorService timer;
  /** Records submitted to any engine and not finished yet. */
  private final AtomicLong backlog = new AtomicLong();
  /** Process-wide: a replaced stream thread's records run again in a fresh processor. */
  private final FailedBatchMemory failedBatches = new FailedBatchMemory();

  private InferenceEngines(int threadsPerTask, Executor override, boolean inline) {
    this.threadsPerTask = threadsPerTask;
    this.override = override;
    this.inline = inline;
  }

  /** {@code threadsPerTask} inference threads for each task's engine. */
  public static InferenceEngines threads(int threadsPerTask) {
    if (threadsPerTask < 1) {
      throw new IllegalArgumentException("threadsPerTask must be at least 1");
    }
    return new InferenceEngines(threadsPerTask, null, false);
  }

  /** Runs every batch inline on the dispatching stream thread (TopologyTestDriver tests). */
  public static InferenceEngines direct() {
    return new InferenceEngines(1, null, true);
  }

  /** Every batch of every task runs on {@code executor}, with no limit on running batches. */
  public static InferenceEngines using(Executor executor) {
    return new InferenceEngines(1, executor, false);
  }

  /**
   * The engine of {@code task}, created on first use with the task and batching policy given then.
   */
  synchronized InferenceEngine engine(Task task, BatchTask batchTask, FlushPolicy policy,
      NlpMeters meters) {
    return engines.computeIfAbsent(task, t -> {
      if (inline) {
        return new InferenceEngine(batchTask, policy, null, Integer.MAX_VALUE, false, backlog,
            failedBatches, meters, null);
      }
      if (override != null) {
        return new InferenceEngine(batchTask, policy, override, Integer.MAX_VALUE, false,
            backlog, failedBatches, meters, null);
      }
      String prefix = "nlp-inference-" + t.name().toLowerCase(Locale.ROOT) + "-";
      AtomicInteger counter = new AtomicInteger();
      ExecutorService lane = Executors.newFixedThreadPool(threadsPerTask, r -> {
        Thread thread = new Thread(r, prefix + counter.getAndIncrement());
        thread.setDaemon(true);
        return thread;
      });
      lanes.put(t, lane);
      if (timer == null) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread thread = new Thread(r, "nlp-batch-timer");
          thread.setDaemon(true);
          return thread;
        });
      }
      return new InferenceEngine(batchTask, policy, lane, threadsPerTask, true, backlog,
          failedBatches, meters, timer);
    });
  }

  /**
   * Records submitted to inference and not finished yet, across every task. The engines keep
   * working through them while the stream threads are paused, so a back-pressure control that
   * pauses above a bound and resumes below it can never deadlock.
   */
  public long backlog() {
    return backlog.get();
  }

  /** Refuses new records and drops queued ones; running batches go on until they return. */
  public synchronized void stopIntake() {
    engines.values().forEach(InferenceEngine::stop);
    lanes.values().forEach(ExecutorService::shutdownNow);
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** Waits for running batches to return; true when every engine is idle. */
  public boolean awaitIdle(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Iterable<ExecutorService> all;
    synchronized (this) {
      all = java.util.List.copyOf(lanes.values());
    }
    for (ExecutorService lane : all) {
      long remaining = deadline - System.nanoTime();
      try {
        if (remaining <= 0 || !lane.awaitTermination(remaining, TimeUnit.NANOSECONDS)) {
          return false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    stopIntake();
  }
}
