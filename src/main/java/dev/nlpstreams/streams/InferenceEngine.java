package dev.nlpstreams.streams;

import dev.nlpstreams.metrics.NlpMeters;
import dev.nlpstreams.text.batch.FlushPolicy;
import dev.nlpstreams.text.task.InferenceStoppedException;
import dev.nlpstreams.text.task.InferenceTimeoutException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One task's inference engine, shared by every partition and stream thread of the process: stream
 * tasks submit single buffered records without blocking, and the engine forms batches across all
 * of them, so a batch is as large as the whole process's traffic allows, not one partition's.
 *
 * <p>Batching follows the task's {@link FlushPolicy}: a batch leaves the queue when the queue holds
 * {@code maxRecords} records or {@code maxTokens} tokens, or when its oldest record has waited
 * {@code maxWait}. A batch starts only when one of the engine's inference threads is free: while
 * they are all busy, arriving records wait in the queue and join the next batch. A thread that
 * finishes a batch takes what queued meanwhile at once, full or due or not, when it is worth a
 * run: half a batch (records or tokens), or records that would take half of {@code maxWait} to
 * run at the last batch's pace (with a large model, a record or two). This is continuous
 * batching: under load a thread does not idle while a worthwhile batch waits (waiting out
 * {@code maxWait} after every batch let a steady load's queue grow). Not any number at once: on
 * two cores shared with the stream threads and the Kafka clients, runs of a few rows of a small
 * model spend more on per-run overhead than they save (bench ner: taking whatever waited cut the
 * tiny model's burst throughput by about a tenth). An idle engine lets its first records wait
 * for company up to {@code maxWait} (generation gains most from full batches), and its own timer
 * starts them on time, whatever the stream threads are doing. Each batch is the oldest waiting
 * record plus those closest to it in length, so rows of similar length share a padded batch and
 * no record is passed over for long.
 *
 * <p>A batch runs as an {@link IsolatingFlush} (a failing record is split out, with one deadline
 * for the whole isolation) and completes each record's future with its own outcome. When every
 * record of a batch failed on its own, the model, not the records, is the likelier culprit: the
 * first time, the outcomes say so ({@link Outcome#suspectModel()}) and the stream task keeps the
 * records for one more run; records that were in such a batch before fail for good.
 */
final class InferenceEngine {

  /**
   * A record's result, or why it failed. {@code suspectModel}: every record of its batch failed
   * on its own, for the first time: the model or its runtime is the likelier culprit, and the
   * record should run once more rather than be dead-lettered.
   */
  record Outcome(org.apache.avro.specific.SpecificRecord value, Exception error,
      boolean suspectModel) {}

  private record Item(PendingRecord record, CompletableFuture<Outcome> result, long arrival) {
    long tokens() {
      return record.buffered().getTokenCount();
    }

    long enqueuedAt() {
      return record.buffered().getEnqueuedAt();
    }
  }

  private final BatchTask task;
  private final FlushPolicy policy;
  /** Where batches run; null runs them inline on the thread that dispatches (tests). */
  private final Executor runner;
  private final int maxRunningBatches;
  /** Whether a finished batch dispatches the next one itself (the engine owns its threads). */
  private final boolean ownThreads;
  private final AtomicLong backlog;
  private final FailedBatchMemory failedBatches;
  private final NlpMeters meters;
  /**
   * Starts a batch when its oldest record becomes due, so that the wait does not depend on when a
   * stream thread next punctuates (an idle stream thread blocks in poll); null: dispatching is
   * left to the stream tasks' punctuators (tests).
   */
  private final ScheduledExecutorService timer;

  /** Guarded by this: records waiting for a batch, oldest first. */
  private final List<Item> queue = new ArrayList<>();
  private long queuedTokens;
  private int runningBatches;
  private long arrivals;
  private boolean stopped;
  /** The last batch's run time per token: what a queued token will cost, roughly. */
  private double lastMsPerToken;
  /** When the armed timer fires; Long.MAX_VALUE when none is armed. */
  private long timerDueAtMs = Long.MAX_VALUE;

  InferenceEngine(BatchTask task, FlushPolicy policy, Executor runner, int maxRunningBatches,
      boolean ownThreads, AtomicLong backlog, FailedBatchMemory failedBatches, NlpMeters meters,
      ScheduledExecutorService timer) {
    this.task = task;
    this.timer = timer;
    this.policy = policy;
    this.runner = runner;
    this.maxRunningBatches = maxRunningBatches;
    this.ownThreads = ownThreads;
    this.backlog = backlog;
    this.failedBatches = failedBatches;
    this.meters = meters;
  }

  BatchTask task() {
    return task;
  }

  FlushPolicy policy() {
    return policy;
  }

  /**
   * Queues a record; it runs in a later {@link #dispatch}. Cancelling the returned future (its
   * stream task closed) takes the record out of any batch that has not started yet.
   */
  CompletableFuture<Outcome> submit(PendingRecord record) {
    CompletableFuture<Outcome> result = new CompletableFuture<>();
    backlog.incrementAndGet();
    result.whenComplete((value, error) -> backlog.decrementAndGet());
    synchronized (this) {
      if (stopped) {
        result.completeExceptionally(new InferenceStoppedException(
            "The " + task.task() + " engine is stopping", null));
        return result;
      }
      queue.add(new Item(record, result, arrivals++));
      queuedTokens += record.buffered().getTokenCount();
      armTimer();
    }
    return result;
  }

  /** Starts every batch that is due at {@code nowMs} and for which an inference thread is free. */
  void dispatch(long nowMs) {
    dispatch(nowMs, false);
  }

  /**
   * As {@link #dispatch(long)}; {@code threadFreed}: a batch just finished, and its thread takes
   * what is {@linkplain #worthARunNow() worth a run} at once, due or not.
   */
  private void dispatch(long nowMs, boolean threadFreed) {
    List<List<Item>> batches = new ArrayList<>();
    boolean takeAnyway = threadFreed;
    synchronized (this) {
      while (runningBatches < maxRunningBatches && !queue.isEmpty()
          && ((takeAnyway && worthARunNow()) || policy.isFull(queue.size(), queuedTokens)
              || policy.isDue(queue.get(0).enqueuedAt(), nowMs))) {
        takeAnyway = false;
        List<Item> batch = takeBatch();
        if (!batch.isEmpty()) {
          runningBatches++;
          batches.add(batch);
        }
      }
      armTimer();
    }
    for (List<Item> batch : batches) {
      if (runner == null) {
        runBatch(batch, nowMs);
        continue;
      }
      try {
        runner.execute(() -> runBatch(batch, System.currentTimeMillis()));
      } catch (RejectedExecutionException e) {
        finished();
        batch.forEach(item -> item.result().completeExceptionally(e));
      }
    }
  }

  /**
   * Whether what waits is worth a run without waiting for more: half a batch (records or tokens),
   * or records that would keep the thread busy for half the max wait at the last batch's pace
   * (with a large model, a record or two; waiting for company then buys little and costs latency).
   */
  private boolean worthARunNow() {
    return policy.isFull(2 * queue.size(), 2 * queuedTokens)
        || queuedTokens * lastMsPerToken >= policy.maxWaitMs() / 2.0;
  }

  /**
   * Arms the timer for the oldest queued record's due time, unless it is armed for then or
   * earlier. Only while a thread is free: when all are busy, the next batch starts when one of them
   * finishes, and a timer for an overdue record would fire again and again meanwhile.
   */
  private void armTimer() {
    if (timer == null || stopped || queue.isEmpty() || runningBatches >= maxRunningBatches) {
      return;
    }
    long dueAt = queue.get(0).enqueuedAt() + policy.maxWaitMs();
    if (dueAt >= timerDueAtMs) {
      return;
    }
    timerDueAtMs = dueAt;
    try {
      timer.schedule(this::timerFired, Math.max(0, dueAt - System.currentTimeMillis()),
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      // Shutting down: the stream tasks' punctuators still dispatch until intake stops.
      timerDueAtMs = Long.MAX_VALUE;
    }
  }

  private void timerFired() {
    synchronized (this) {
      timerDueAtMs = Long.MAX_VALUE;
    }
    dispatch(System.currentTimeMillis());
  }

  /** The engine's state in a few words, for a log line about a record that waits too long. */
  synchronized String describe() {
    return task.task() + " engine: " + queue.size() + " record(s) queued (" + queuedTokens
        + " tokens), " + runningBatches + " of " + maxRunningBatches + " batch(es) running"
        + (stopped ? ", stopped" : "");
  }

  /** Refuses new records; queued ones are never run (their records stay in the buffers). */
  void stop() {
    List<Item> dropped;
    synchronized (this) {
      stopped = true;
      dropped = new ArrayList<>(queue);
      queue.clear();
      queuedTokens = 0;
    }
    InferenceStoppedException stop = new InferenceStoppedException(
        "The " + task.task() + " engine stopped", null);
    dropped.forEach(item -> item.result().completeExceptionally(stop));
  }

  /**
   * The oldest live record and the live records closest to it in tokens, up to the policy's size.
   * Records whose stream task has closed (cancelled futures) are dropped on the way.
   */
  private List<Item> takeBatch() {
    queue.removeIf(item -> {
      if (item.result().isDone()) {
        queuedTokens -= item.tokens();
        return true;
      }
      return false;
    });
    if (queue.isEmpty()) {
      return List.of();
    }
    Item oldest = queue.get(0);
    List<Item> chosen = new ArrayList<>();
    chosen.add(oldest);
    long tokens = oldest.tokens();
    // Candidates: a window of the oldest records (bounded so that forming a batch stays cheap
    // and nobody waits behind an ever-growing queue), nearest in length to the oldest first.
    int window = Math.min(queue.size(), Math.max(4 * policy.maxRecords(), 64));
    List<Item> candidates = new ArrayList<>(queue.subList(1, window));
    long anchor = oldest.tokens();
    candidates.sort(Comparator.comparingLong((Item item) -> Math.abs(item.tokens() - anchor)));
    for (Item candidate : candidates) {
      if (policy.isFull(chosen.size(), tokens)) {
        break;
      }
      chosen.add(candidate);
      tokens += candidate.tokens();
    }
    java.util.Set<Item> taken = java.util.Collections.newSetFromMap(
        new java.util.IdentityHashMap<>());
    taken.addAll(chosen);
    queue.removeIf(taken::contains);
    queuedTokens -= tokens;
    // Run in arrival order: the task sees records as the partitions produced them.
    chosen.sort(Comparator.comparingLong(Item::arrival));
    return chosen;
  }

  private void runBatch(List<Item> batch, long startedMs) {
    try {
      List<PendingRecord> records = batch.stream().map(Item::record).toList();
      String taskName = task.task().name().toLowerCase(java.util.Locale.ROOT);
      for (PendingRecord record : records) {
        meters.queueWait(taskName, java.time.Duration.ofMillis(
            startedMs - record.buffered().getEnqueuedAt()));
      }
      // Rows, padding, latency and decoder steps are recorded per model run by the models.
      long started = System.nanoTime();
      IsolatingFlush.Outcome[] outcomes = new IsolatingFlush(task, records,
          () -> batch.stream().allMatch(item -> item.result().isCancelled())).run();
      long elapsed = System.nanoTime() - started;
      meters.batchDuration(taskName, elapsed);
      long tokens = batch.stream().mapToLong(Item::tokens).sum();
      if (tokens > 0) {
        synchronized (this) {
          lastMsPerToken = elapsed / 1e6 / tokens;
        }
      }
      boolean everyRecordFailed = batch.size() > 1 && java.util.Arrays.stream(outcomes)
          .allMatch(o -> o.value() == null && !(o.error() instanceof InferenceTimeoutException));
      for (int i = 0; i < batch.size(); i++) {
        boolean suspectModel = everyRecordFailed
            && failedBatches.rememberFirstFailure(failureKey(records.get(i)));
        batch.get(i).result().complete(new Outcome(outcomes[i].value(), outcomes[i].error(),
            suspectModel));
      }
    } catch (Throwable t) {
      batch.forEach(item -> item.result().completeExceptionally(t));
    } finally {
      finished();
      if (ownThreads) {
        // A thread came free: it takes what queued meanwhile at once if that is worth a run.
        dispatch(System.currentTimeMillis(), true);
      }
    }
  }

  /**
   * This engine's task and the record's source coordinates: the same across restores, rebalances
   * and thread restarts, and apart from the same event's run in another task's engine.
   */
  private String failureKey(PendingRecord record) {
    return task.task() + ":" + record.buffered().getSourceTopic() + "-"
        + record.buffered().getSourcePartition() + "@" + record.buffered().getSourceOffset();
  }

  private synchronized void finished() {
    runningBatches--;
  }
}
