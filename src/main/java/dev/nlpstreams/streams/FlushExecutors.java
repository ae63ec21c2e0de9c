package dev.nlpstreams.streams;

import dev.nlpstreams.schema.avro.Task;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that run micro-batch flushes, so that inference never runs on a stream thread: a
 * stream thread that spends longer than max.poll.interval.ms in one flush is expelled from its
 * group, and a flush longer than the transaction timeout breaks exactly-once. Each task has its
 * own lane, so a long generation flush never holds back NER.
 *
 * <p>Tests use {@link #direct()}, which runs a flush inline as it is submitted.
 */
public final class FlushExecutors implements AutoCloseable {

  private final Map<Task, ExecutorService> lanes;
  /** When set, every flush goes here instead (tests that complete flushes late or out of order). */
  private final java.util.concurrent.Executor override;

  private FlushExecutors(Map<Task, ExecutorService> lanes,
      java.util.concurrent.Executor override) {
    this.lanes = lanes;
    this.override = override;
  }

  /** {@code threadsPerTask} inference threads for each task. */
  public static FlushExecutors threads(int threadsPerTask) {
    if (threadsPerTask < 1) {
      throw new IllegalArgumentException("threadsPerTask must be at least 1");
    }
    Map<Task, ExecutorService> lanes = new EnumMap<>(Task.class);
    for (Task task : Task.values()) {
      if (task == Task.UNKNOWN) {
        continue;
      }
      String prefix = "nlp-inference-" + task.name().toLowerCase(java.util.Locale.ROOT) + "-";
      AtomicInteger counter = new AtomicInteger();
      lanes.put(task, Executors.newFixedThreadPool(threadsPerTask, r -> {
        Thread thread = new Thread(r, prefix + counter.getAndIncrement());
        thread.setDaemon(true);
        return thread;
      }));
    }
    return new FlushExecutors(lanes, null);
  }

  /** Runs every flush inline on the submitting thread (TopologyTestDriver tests). */
  public static FlushExecutors direct() {
    return new FlushExecutors(Map.of(), null);
  }

  /** Every flush of every task runs on {@code executor}. */
  public static FlushExecutors using(java.util.concurrent.Executor executor) {
    return new FlushExecutors(Map.of(), executor);
  }

  /** Records handed to inference whose flush has not finished yet, across every task. */
  private final java.util.concurrent.atomic.AtomicLong backlog =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * Records handed to inference and not finished yet. Inference keeps working through them while
   * the stream threads are paused, so a back-pressure control that pauses above a bound and resumes
   * below it can never deadlock.
   */
  public long backlog() {
    return backlog.get();
  }

  /** Runs a flush of {@code records} records of {@code task}. */
  <T> CompletableFuture<T> submit(Task task, int records, Callable<T> job) {
    ExecutorService lane = lanes.get(task);
    CompletableFuture<T> future = new CompletableFuture<>();
    backlog.addAndGet(records);
    future.whenComplete((result, error) -> backlog.addAndGet(-records));
    Runnable run = () -> {
      if (future.isDone()) {
        return; // cancelled while queued
      }
      try {
        future.complete(job.call());
      } catch (Throwable t) {
        future.completeExceptionally(t);
      }
    };
    if (override != null) {
      override.execute(run);
      return future;
    }
    if (lane == null) {
      run.run();
      return future;
    }
    try {
      lane.execute(run);
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(e);
    }
    return future;
  }

  /** Refuses new flushes and drops queued ones; running flushes go on until they return. */
  public void stopIntake() {
    lanes.values().forEach(ExecutorService::shutdownNow);
  }

  /** Waits for running flushes to return; true when every lane is idle. */
  public boolean awaitIdle(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ExecutorService lane : lanes.values()) {
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
