package dev.nlpstreams.streams;

import dev.nlpstreams.metrics.NlpMeters;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.avro.internal.BufferedRecord;
import dev.nlpstreams.text.batch.FlushPolicy;
import dev.nlpstreams.text.task.InferenceStoppedException;
import dev.nlpstreams.text.task.InferenceTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers one stream task's records of one NLP task in a changelogged state store and submits
 * each to the task's {@link InferenceEngine}, which batches them with every other partition's
 * records on its own threads, never on the stream thread.
 *
 * <p>Why a store and not a list: Kafka Streams considers an input offset done when {@code process}
 * returns, so a record waiting for its batch must survive a crash. The store's changelog brings it
 * back on restore (and under exactly_once_v2 the buffer writes join the transaction); a restored
 * buffer is simply submitted again.
 *
 * <p>A frequent wall-clock punctuator (so a quiet partition still flushes) lets the engine start
 * due batches, then forwards finished results strictly in input order and only then deletes their
 * records from the store, so nothing is forwarded that the changelog could not bring back. The
 * stream thread itself only buffers, submits and forwards: it keeps polling however long a model
 * runs.
 */
final class MicroBatchProcessor implements Processor<byte[], DecodedEvent, Object, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(MicroBatchProcessor.class);
  /** How long a record may wait for its result before the wait is logged. */
  static final long LONG_WAIT_MS = 30_000;

  private final String storeName;
  private final InferenceEngine engine;
  private final BatchTask task;
  private final String taskName;
  private final String outputTopic;
  private final DeadLetters deadLetters;
  private final RecordSizeLimit sizeLimit;
  private final NlpMeters meters;

  /** Results go to the sink already serialized (bytes); dead letters as {@link OutputValue}. */
  private ProcessorContext<Object, Object> context;
  private KeyValueStore<Long, byte[]> buffer;
  private long nextSequence;
  private long lastLongWaitWarningMs = Long.MIN_VALUE / 2;
  /** Records submitted to the engine, in input order; their results are forwarded in this order. */
  private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
  /** Restored entries that cannot be read; dead-lettered at the first punctuation. */
  private final List<KeyValue<Long, byte[]>> unreadable = new ArrayList<>();

  private record InFlight(PendingRecord record,
      CompletableFuture<InferenceEngine.Outcome> result) {}

  MicroBatchProcessor(String storeName, InferenceEngine engine, String outputTopic,
      DeadLetters deadLetters, RecordSizeLimit sizeLimit, NlpMeters meters) {
    this.storeName = storeName;
    this.engine = engine;
    this.task = engine.task();
    this.taskName = task.task().name().toLowerCase(java.util.Locale.ROOT);
    this.outputTopic = outputTopic;
    this.deadLetters = deadLetters;
    this.sizeLimit = sizeLimit;
    this.meters = meters;
  }

  /**
   * How often the wall-clock punctuator forwards finished results (and, for engines without a
   * timer of their own, starts due batches): often enough that forwarding adds little latency
   * (a result waits half of it on average), and cheap when there is nothing to do (a look at the
   * oldest record's future).
   */
  static Duration punctuateInterval(long maxWaitMs) {
    return Duration.ofMillis(Math.max(5, Math.min(10, maxWaitMs / 4)));
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.buffer = context.getStateStore(storeName);
    // init runs after the store was restored: pick up what a previous instance left buffered.
    try (KeyValueIterator<Long, byte[]> all = buffer.all()) {
      while (all.hasNext()) {
        KeyValue<Long, byte[]> entry = all.next();
        nextSequence = Math.max(nextSequence, entry.key + 1);
        try {
          BufferedRecord stored = Codecs.BUFFERED_RECORD.decode(entry.value);
          TextEvent event = Codecs.TEXT_EVENT.decode(PendingRecord.bytes(
              stored.getEvent() != null ? stored.getEvent() : stored.getOriginalValue()));
          // Submitted now, run from the first punctuation on (forwarding needs a punctuation).
          submit(new PendingRecord(entry.key, stored, event));
        } catch (PayloadException e) {
          // Written by an incompatible version: dead-letter it rather than block the restore.
          unreadable.add(entry);
        }
      }
    }
    if (!inFlight.isEmpty() || !unreadable.isEmpty()) {
      LOG.info("Task {} restored {} buffered {} record(s) from the changelog of {}",
          context.taskId(), inFlight.size() + unreadable.size(), task.task(), storeName);
    }
    context.schedule(punctuateInterval(engine.policy().maxWaitMs()),
        PunctuationType.WALL_CLOCK_TIME,
        this::punctuate);
  }

  @Override
  public void process(Record<byte[], DecodedEvent> record) {
    long started = System.nanoTime();
    try {
      buffer(record.value());
    } finally {
      meters.streamThreadBusy(taskName, System.nanoTime() - started);
    }
  }

  private void buffer(DecodedEvent decoded) {
    SourceRecordInfo source = decoded.source();
    TextEvent event = decoded.event();
    // Planned (and a tokenizer failure dead-lettered) when the event was decoded.
    TaskPlan plan = java.util.Objects.requireNonNull(decoded.plan(), "decoded.plan");
    int tokens = plan.tokens();
    long now = context.currentSystemTimeMs();
    BufferedRecord stored = BufferedRecord.newBuilder()
        .setSourceTopic(source.topic())
        .setSourcePartition(source.partition())
        .setSourceOffset(source.offset())
        .setSourceTimestamp(source.timestamp())
        .setOriginalKey(source.key() == null ? null : ByteBuffer.wrap(source.key()))
        .setOriginalValue(ByteBuffer.wrap(source.value()))
        .setEnqueuedAt(now)
        .setTokenCount(tokens)
        .setPlan(plan.facts())
        .setEvent(decoded.valueIsEvent() ? null
            : ByteBuffer.wrap(Codecs.TEXT_EVENT.encode(event)))
        .build();
    byte[] entry = Codecs.BUFFERED_RECORD.encode(stored);
    String tooLarge = sizeLimit.check(Long.BYTES, entry.length);
    if (tooLarge != null) {
      // A changelog write that the broker refuses would fail the thread on every replay.
      deadLetters.send(deadLetterContext(), source, ReasonCode.RECORD_TOO_LARGE, event.getEventId(),
          task.task().name(), "The record cannot be buffered for " + task.task() + ": its buffer"
              + " entry " + tooLarge, new RecordTooLargeForTopicException(tooLarge));
      return;
    }
    long sequence = nextSequence++;
    buffer.put(sequence, entry);
    submit(new PendingRecord(sequence, stored, event));
    engine.dispatch(now);
    forwardFinished();
  }

  /**
   * A record whose result has not come for {@link #LONG_WAIT_MS} holds back every later record of
   * its partition: say so, with the engine's state, at most once per that interval.
   */
  private void warnIfTheOldestWaitsLong(long nowMs) {
    InFlight oldest = inFlight.peekFirst();
    if (oldest == null || oldest.result().isDone()
        || nowMs - oldest.record().buffered().getEnqueuedAt() < LONG_WAIT_MS
        || nowMs - lastLongWaitWarningMs < LONG_WAIT_MS) {
      return;
    }
    lastLongWaitWarningMs = nowMs;
    LOG.warn("Task {}: the oldest of {} {} record(s) in flight has waited {} ms for its result"
        + " ({}@{}); {}", context.taskId(), inFlight.size(), task.task(),
        nowMs - oldest.record().buffered().getEnqueuedAt(),
        oldest.record().buffered().getSourcePartition(),
        oldest.record().buffered().getSourceOffset(), engine.describe());
  }

  private void submit(PendingRecord record) {
    inFlight.add(new InFlight(record, engine.submit(record)));
  }

  private void punctuate(long wallClockMs) {
    long started = System.nanoTime();
    try {
      deadLetterUnreadable();
      engine.dispatch(wallClockMs);
      forwardFinished();
      warnIfTheOldestWaitsLong(wallClockMs);
    } finally {
      meters.streamThreadBusy(taskName, System.nanoTime() - started);
    }
  }

  /** Forwards finished records in input order, deleting each only after forwarding it. */
  private void forwardFinished() {
    while (!inFlight.isEmpty() && inFlight.peekFirst().result().isDone()) {
      InFlight done = inFlight.peekFirst();
      InferenceEngine.Outcome outcome;
      try {
        outcome = done.result().join();
      } catch (CompletionException | java.util.concurrent.CancellationException e) {
        Throwable cause = e instanceof CompletionException ? e.getCause() : e;
        if (cause instanceof InferenceStoppedException
            || cause instanceof RejectedExecutionException
            || cause instanceof java.util.concurrent.CancellationException) {
          // Only at shutdown: leave it at the head, unforwarded; its record stays buffered and
          // runs again after the restart (or wherever the task is restored).
          return;
        }
        throw new IllegalStateException("A " + task.task() + " batch failed unexpectedly", cause);
      }
      PendingRecord record = done.record();
      if (outcome.suspectModel()) {
        // Every record of its batch failed on its own: the model or its runtime is at fault, not
        // the records. Dead-lettering them all would lose a whole batch to a passing fault;
        // failing the thread keeps them buffered, and the thread failure policy retries (and
        // gives up when it repeats). If they fail again, they are dead-lettered.
        throw new ModelFailureException("Every record of a " + task.task() + " batch failed on"
            + " its own; the model or its runtime is failing, not the inputs. The records stay"
            + " buffered and run once more; if they fail again they are dead-lettered.",
            outcome.error());
      }
      inFlight.pollFirst();
      forward(record, outcome);
    }
  }

  private void forward(PendingRecord record, InferenceEngine.Outcome outcome) {
    if (outcome.value() != null) {
      OutputValue value = new OutputValue(outcome.value(), record.source());
      // Serialized once: the bytes whose size is checked are the bytes the sink writes.
      RecordSizeLimit.Encoded encoded = sizeLimit.encodeOutput(outputTopic,
          record.event().getEventId(), value);
      String tooLarge = encoded.tooLarge();
      if (tooLarge == null) {
        context.forward(new Record<Object, Object>(record.event().getEventId(), encoded.value(),
            record.buffered().getSourceTimestamp(), encoded.headers()), task.outputNode());
        meters.recordOut(outputTopic, task.task().name());
      } else {
        deadLetters.send(deadLetterContext(), record.source(), ReasonCode.RECORD_TOO_LARGE,
            record.event().getEventId(), task.task().name(), "The " + task.task()
                + " result cannot be written to " + outputTopic + ": it " + tooLarge,
            new RecordTooLargeForTopicException(tooLarge));
      }
    } else {
      ReasonCode reason = outcome.error() instanceof InferenceTimeoutException
          ? ReasonCode.INFERENCE_TIMEOUT : ReasonCode.INFERENCE_FAILED;
      deadLetters.send(deadLetterContext(), record.source(), reason, record.event().getEventId(),
          task.task().name(), outcome.error().getMessage(), outcome.error());
    }
    buffer.delete(record.sequence());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private ProcessorContext<Object, OutputValue> deadLetterContext() {
    return (ProcessorContext) context;
  }

  private void deadLetterUnreadable() {
    for (KeyValue<Long, byte[]> entry : unreadable) {
      SourceRecordInfo unknown = new SourceRecordInfo(storeName, -1, entry.key,
          context.currentSystemTimeMs(), null, entry.value);
      deadLetters.send(deadLetterContext(), unknown, ReasonCode.MALFORMED_PAYLOAD, null, task.task().name(),
          "A buffered " + task.task() + " record restored from the changelog of " + storeName
              + " cannot be read (written by an incompatible version?); its buffer entry is"
              + " attached as the original value.", null);
      buffer.delete(entry.key);
    }
    unreadable.clear();
  }

  @Override
  public void close() {
    // The task is closing (shutdown or rebalance): whatever is in flight is never forwarded here;
    // the records stay in the changelog and run again wherever the task is restored. Cancelling
    // takes them out of batches that have not started.
    for (InFlight flight : inFlight) {
      flight.result().cancel(false);
    }
    inFlight.clear();
    // Kafka Streams may init this same instance again (a task revived after corruption): the
    // unreadable entries are still in the restored store then and must not be listed twice.
    unreadable.clear();
  }
}
