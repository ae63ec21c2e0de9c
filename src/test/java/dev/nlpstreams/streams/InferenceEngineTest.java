package dev.nlpstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.metrics.NlpMeters;
import dev.nlpstreams.schema.avro.ModelInfo;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.avro.internal.BufferedRecord;
import dev.nlpstreams.text.batch.FlushPolicy;
import dev.nlpstreams.text.task.InferenceException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * The engine's batching, with a fake task and batches run when the test says: records of several
 * partitions share batches, a batch starts only when a thread is free, rows of similar length go
 * together, closed owners' records are skipped, and a batch that fails as a whole is suspected
 * once.
 */
class InferenceEngineTest {

  private static final long NOW = 1_000_000;

  /** Records every batch (event ids); fails any batch holding a "bad" record. */
  private static final class RecordingTask implements BatchTask {
    final List<List<String>> batches = new ArrayList<>();
    /** How long each record takes to run: a model's pace. */
    long sleepMsPerRecord;
    final Task task;

    RecordingTask() {
      this(Task.NER);
    }

    RecordingTask(Task task) {
      this.task = task;
    }

    @Override
    public Task task() {
      return task;
    }

    @Override
    public String outputNode() {
      return "out";
    }

    @Override
    public int countTokens(TextEvent event) {
      return 1;
    }

    @Override
    public long runTimeoutMs() {
      return 1_000;
    }

    @Override
    public synchronized List<SpecificRecord> run(List<PendingRecord> batch, long timeoutMs)
        throws InferenceException {
      batches.add(batch.stream().map(r -> r.event().getEventId()).toList());
      try {
        Thread.sleep(sleepMsPerRecord * batch.size());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      List<SpecificRecord> out = new ArrayList<>();
      for (PendingRecord record : batch) {
        if (record.event().getEventId().startsWith("bad")) {
          throw new InferenceException("cannot run " + record.event().getEventId());
        }
        out.add(ModelInfo.newBuilder().setName(record.event().getEventId()).build());
      }
      return out;
    }
  }

  private final RecordingTask task = new RecordingTask();
  /** Batches handed to the engine's threads and not run yet. */
  private final List<Runnable> handedOver = new ArrayList<>();
  private final AtomicLong backlog = new AtomicLong();

  private InferenceEngine engine(FlushPolicy policy, int threads) {
    return new InferenceEngine(task, policy, handedOver::add, threads, false, backlog,
        new FailedBatchMemory(), NlpMeters.none(), null);
  }

  /** An engine that owns its threads: a finished batch dispatches the next itself. */
  private InferenceEngine engineOwningThreads(FlushPolicy policy, java.util.concurrent.Executor
      runner, java.util.concurrent.ScheduledExecutorService timer) {
    return new InferenceEngine(task, policy, runner, 1, true, backlog, new FailedBatchMemory(),
        NlpMeters.none(), timer);
  }

  private static PendingRecord record(String id, int partition, long offset, int tokens,
      long enqueuedAt) {
    BufferedRecord buffered = BufferedRecord.newBuilder()
        .setSourceTopic("in").setSourcePartition(partition).setSourceOffset(offset)
        .setSourceTimestamp(0).setOriginalKey(null)
        .setOriginalValue(ByteBuffer.wrap(new byte[0])).setEnqueuedAt(enqueuedAt)
        .setTokenCount(tokens).setEvent(null).build();
    return new PendingRecord(offset, buffered,
        TextEvent.newBuilder().setEventId(id).setText("t").build());
  }

  private void runHandedOver() {
    List<Runnable> batches = new ArrayList<>(handedOver);
    handedOver.clear();
    batches.forEach(Runnable::run);
  }

  @Test
  void recordsOfDifferentPartitionsShareOneBatch() {
    InferenceEngine engine = engine(new FlushPolicy(4, 10_000, 100), 1);
    List<CompletableFuture<InferenceEngine.Outcome>> results = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      // Partitions 0..3, one record each: no single partition could fill a batch.
      results.add(engine.submit(record("p" + i, i, 7, 1, NOW)));
      engine.dispatch(NOW);
    }
    assertThat(handedOver).hasSize(1);
    runHandedOver();
    assertThat(task.batches).containsExactly(List.of("p0", "p1", "p2", "p3"));
    assertThat(results).allMatch(f -> f.join().value() != null);
    assertThat(backlog.get()).isZero();
  }

  @Test
  void aBatchWaitsForAFreeThreadAndFillsMeanwhile() {
    InferenceEngine engine = engine(new FlushPolicy(3, 10_000, 100), 1);
    for (int i = 0; i < 3; i++) {
      engine.submit(record("a" + i, 0, i, 1, NOW));
    }
    engine.dispatch(NOW);
    assertThat(handedOver).hasSize(1);
    // The only thread is busy: records that are due still wait, and join one batch.
    for (int i = 0; i < 5; i++) {
      engine.submit(record("b" + i, 1, i, 1, NOW));
    }
    engine.dispatch(NOW + 500);
    assertThat(handedOver).hasSize(1);
    assertThat(backlog.get()).isEqualTo(8);
    runHandedOver();
    engine.dispatch(NOW + 500);
    assertThat(handedOver).hasSize(1);
    runHandedOver();
    assertThat(task.batches).containsExactly(List.of("a0", "a1", "a2"),
        List.of("b0", "b1", "b2"));
  }

  @Test
  void aQuietEngineRunsWhatItHasOnceTheOldestRecordHasWaitedMaxWait() {
    InferenceEngine engine = engine(new FlushPolicy(32, 10_000, 100), 2);
    engine.submit(record("x", 0, 0, 1, NOW));
    engine.dispatch(NOW + 99);
    assertThat(handedOver).isEmpty();
    engine.dispatch(NOW + 100);
    assertThat(handedOver).hasSize(1);
  }

  @Test
  void aThreadThatFinishesABatchTakesHalfABatchAtOnceWithoutWaitingForMaxWait() {
    long now = System.currentTimeMillis();
    // Batches of 4; a max wait of an hour, so nothing here is ever due.
    InferenceEngine engine = engineOwningThreads(new FlushPolicy(4, 10_000, 3_600_000),
        handedOver::add, null);
    for (int i = 0; i < 3; i++) {
      engine.submit(record("first-" + i, i, 0, 1, now));
      engine.dispatch(now);
    }
    assertThat(handedOver).as("an idle engine lets its first records wait for company").isEmpty();
    engine.submit(record("first-3", 3, 0, 1, now));
    engine.dispatch(now);
    assertThat(handedOver).as("a full batch starts").hasSize(1);
    engine.submit(record("second-0", 0, 1, 1, now));
    engine.submit(record("second-1", 1, 1, 1, now));
    engine.dispatch(now);
    assertThat(handedOver).as("the only thread is busy").hasSize(1);
    runHandedOver();
    assertThat(handedOver).as("the freed thread takes half a batch at once").hasSize(1);
    engine.submit(record("third-0", 2, 1, 1, now));
    runHandedOver();
    assertThat(handedOver).as("less than half a batch waits for company or max wait").isEmpty();
    assertThat(task.batches).containsExactly(
        List.of("first-0", "first-1", "first-2", "first-3"), List.of("second-0", "second-1"));
    assertThat(backlog.get()).isEqualTo(1);
  }

  @Test
  void withASlowModelAFreedThreadTakesEvenOneRecordAtOnce() {
    long now = System.currentTimeMillis();
    // A record takes 120 ms to run, more than half of the 200 ms max wait: waiting for company
    // would cost more latency than batching saves. Enqueued in the future: never due here.
    task.sleepMsPerRecord = 120;
    InferenceEngine engine = engineOwningThreads(new FlushPolicy(32, 10_000, 200),
        handedOver::add, null);
    engine.submit(record("first", 0, 0, 1, now + 3_600_000));
    engine.dispatch(now);
    assertThat(handedOver).as("an idle engine lets its first record wait for company").isEmpty();
    engine.submit(record("second", 1, 0, 1, now + 3_600_000));
    engine.dispatch(now + 3_600_000 + 200);
    assertThat(handedOver).as("due").hasSize(1);
    engine.submit(record("third", 2, 0, 1, now + 3_600_000));
    runHandedOver();
    assertThat(handedOver).as("one record is worth a run at this model's pace").hasSize(1);
    runHandedOver();
    assertThat(task.batches).containsExactly(List.of("first", "second"), List.of("third"));
  }

  @Test
  void theEnginesTimerStartsADueBatchWithoutAnyDispatchCall() throws Exception {
    java.util.concurrent.ScheduledExecutorService timer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      List<Runnable> started = new java.util.concurrent.CopyOnWriteArrayList<>();
      InferenceEngine engine = engineOwningThreads(new FlushPolicy(32, 10_000, 300),
          started::add, timer);
      long enqueuedAt = System.currentTimeMillis();
      engine.submit(record("alone", 0, 0, 1, enqueuedAt));
      assertThat(started).as("not due yet").isEmpty();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (started.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(started).as("started by the timer once due").hasSize(1);
      assertThat(System.currentTimeMillis() - enqueuedAt).isGreaterThanOrEqualTo(300);
      started.get(0).run();
      assertThat(task.batches).containsExactly(List.of("alone"));
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void rowsOfSimilarLengthShareABatchAndTheOldestIsNeverPassedOver() {
    InferenceEngine engine = engine(new FlushPolicy(2, 10_000, 100), 1);
    engine.submit(record("old-long", 0, 0, 300, NOW));
    engine.submit(record("short1", 1, 0, 5, NOW));
    engine.submit(record("short2", 2, 0, 6, NOW));
    engine.submit(record("long", 3, 0, 280, NOW));
    engine.dispatch(NOW);
    runHandedOver();
    engine.dispatch(NOW);
    runHandedOver();
    assertThat(task.batches).containsExactly(List.of("old-long", "long"),
        List.of("short1", "short2"));
  }

  @Test
  void recordsWhoseOwnerClosedAreNotRun() {
    InferenceEngine engine = engine(new FlushPolicy(2, 10_000, 100), 1);
    CompletableFuture<InferenceEngine.Outcome> gone = engine.submit(record("gone", 0, 0, 1, NOW));
    engine.submit(record("kept", 1, 0, 1, NOW));
    gone.cancel(false);
    engine.dispatch(NOW + 100);
    runHandedOver();
    assertThat(task.batches).containsExactly(List.of("kept"));
    assertThat(backlog.get()).isZero();
  }

  @Test
  void aBatchWhoseEveryRecordFailsIsSuspectedOnceThenFailsForGood() {
    InferenceEngine engine = engine(new FlushPolicy(2, 10_000, 100), 1);
    CompletableFuture<InferenceEngine.Outcome> first = engine.submit(record("bad1", 0, 5, 1, NOW));
    engine.submit(record("bad2", 1, 5, 1, NOW));
    engine.dispatch(NOW);
    runHandedOver();
    assertThat(first.join().suspectModel()).isTrue();
    assertThat(first.join().error()).hasMessageContaining("bad1");

    // The same source records again (after the thread was replaced): now they fail for good.
    CompletableFuture<InferenceEngine.Outcome> again = engine.submit(record("bad1", 0, 5, 1, NOW));
    engine.submit(record("bad2", 1, 5, 1, NOW));
    engine.dispatch(NOW);
    runHandedOver();
    assertThat(again.join().suspectModel()).isFalse();
    assertThat(again.join().value()).isNull();
  }

  @Test
  void aFreshRecordBatchedWithRetriedOnesStillGetsItsRetry() {
    InferenceEngine engine = engine(new FlushPolicy(2, 10_000, 100), 1);
    engine.submit(record("bad1", 0, 5, 1, NOW));
    engine.submit(record("bad2", 1, 5, 1, NOW));
    engine.dispatch(NOW);
    runHandedOver();

    // bad1 runs again (its thread was replaced) beside a record never in a failed batch.
    CompletableFuture<InferenceEngine.Outcome> retried =
        engine.submit(record("bad1", 0, 5, 1, NOW));
    CompletableFuture<InferenceEngine.Outcome> fresh = engine.submit(record("bad3", 2, 9, 1, NOW));
    engine.dispatch(NOW);
    runHandedOver();
    assertThat(retried.join().suspectModel()).isFalse();
    assertThat(fresh.join().suspectModel()).isTrue();
  }

  @Test
  void oneEventsRunsInTwoTasksAreRememberedApart() {
    // A process-wide fault fails the same source records in the NER and the translation engine:
    // each task's first failure is its first, whichever engine remembers first.
    FailedBatchMemory shared = new FailedBatchMemory();
    RecordingTask translate = new RecordingTask(Task.TRANSLATE);
    InferenceEngine ner = new InferenceEngine(task, new FlushPolicy(2, 10_000, 100),
        handedOver::add, 1, false, backlog, shared, NlpMeters.none(), null);
    InferenceEngine translation = new InferenceEngine(translate, new FlushPolicy(2, 10_000, 100),
        handedOver::add, 1, false, backlog, shared, NlpMeters.none(), null);
    CompletableFuture<InferenceEngine.Outcome> nerOutcome =
        ner.submit(record("bad1", 0, 5, 1, NOW));
    ner.submit(record("bad2", 1, 5, 1, NOW));
    CompletableFuture<InferenceEngine.Outcome> translationOutcome =
        translation.submit(record("bad1", 0, 5, 1, NOW));
    translation.submit(record("bad2", 1, 5, 1, NOW));
    ner.dispatch(NOW);
    translation.dispatch(NOW);
    runHandedOver();
    assertThat(nerOutcome.join().suspectModel()).isTrue();
    assertThat(translationOutcome.join().suspectModel()).isTrue();
  }

  @Test
  void aStoppedEngineRefusesAndDropsWhatWaits() {
    InferenceEngine engine = engine(new FlushPolicy(8, 10_000, 100), 1);
    CompletableFuture<InferenceEngine.Outcome> queued = engine.submit(record("q", 0, 0, 1, NOW));
    engine.stop();
    CompletableFuture<InferenceEngine.Outcome> late = engine.submit(record("l", 0, 1, 1, NOW));
    engine.dispatch(NOW + 1_000);
    assertThat(handedOver).isEmpty();
    assertThat(queued).isCompletedExceptionally();
    assertThat(late).isCompletedExceptionally();
    assertThat(backlog.get()).isZero();
  }
}
