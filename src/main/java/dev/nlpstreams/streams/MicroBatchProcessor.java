package dev.nlpstreams.streams;

import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.avro.internal.BufferedRecord;
import dev.nlpstreams.text.batch.FlushPolicy;
import dev.nlpstreams.text.task.InferenceException;
import dev.nlpstreams.text.task.InferenceTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
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
 * Buffers one task's records in a changelogged state store and runs them as micro-batches.
 *
 * <p>Why a store and not a list: Kafka Streams considers an input offset done when {@code process}
 * returns, so a record waiting for its batch must survive a crash. The store's changelog brings it
 * back on restore (and under exactly_once_v2 the buffer writes join the transaction).
 *
 * <p>A batch flushes when it holds {@code maxRecords} records, when its tokens reach the budget, or
 * when its oldest record has waited {@code maxWait} (a wall-clock punctuator, so a quiet partition
 * still flushes). A flush runs the whole buffer in arrival order, isolates failing records by
 * splitting the batch, forwards results in input order and only then deletes the buffered records.
 */
final class MicroBatchProcessor implements Processor<byte[], DecodedEvent, Object, OutputValue> {

  private static final Logger LOG = LoggerFactory.getLogger(MicroBatchProcessor.class);

  private final String storeName;
  private final BatchTask task;
  private final FlushPolicy policy;
  private final DeadLetters deadLetters;

  private ProcessorContext<Object, OutputValue> context;
  private KeyValueStore<Long, byte[]> buffer;
  private long nextSequence;
  private int bufferedRecords;
  private long bufferedTokens;
  private long oldestEnqueuedAt = Long.MAX_VALUE;

  MicroBatchProcessor(String storeName, BatchTask task, FlushPolicy policy,
      DeadLetters deadLetters) {
    this.storeName = storeName;
    this.task = task;
    this.policy = policy;
    this.deadLetters = deadLetters;
  }

  /** How often the wall-clock punctuator checks the oldest record's wait. */
  static Duration punctuateInterval(long maxWaitMs) {
    return Duration.ofMillis(Math.max(5, Math.min(1_000, maxWaitMs / 4)));
  }

  @Override
  public void init(ProcessorContext<Object, OutputValue> context) {
    this.context = context;
    this.buffer = context.getStateStore(storeName);
    // init runs after the store was restored: pick up what a previous instance left buffered.
    try (KeyValueIterator<Long, byte[]> all = buffer.all()) {
      while (all.hasNext()) {
        KeyValue<Long, byte[]> entry = all.next();
        nextSequence = Math.max(nextSequence, entry.key + 1);
        bufferedRecords++;
        try {
          BufferedRecord stored = Codecs.BUFFERED_RECORD.decode(entry.value);
          bufferedTokens += stored.getTokenCount();
          oldestEnqueuedAt = Math.min(oldestEnqueuedAt, stored.getEnqueuedAt());
        } catch (PayloadException e) {
          // Flushed (and dead-lettered) with the rest; it must not block the restore.
          oldestEnqueuedAt = Long.MIN_VALUE;
        }
      }
    }
    if (bufferedRecords > 0) {
      LOG.info("Task {} restored {} buffered {} record(s) from the changelog of {}",
          context.taskId(), bufferedRecords, task.task(), storeName);
    }
    context.schedule(punctuateInterval(policy.maxWaitMs()), PunctuationType.WALL_CLOCK_TIME,
        this::flushIfDue);
  }

  @Override
  public void process(Record<byte[], DecodedEvent> record) {
    DecodedEvent decoded = record.value();
    SourceRecordInfo source = decoded.source();
    int tokens;
    try {
      tokens = task.countTokens(decoded.event());
    } catch (RuntimeException e) {
      deadLetters.send(context, source, ReasonCode.INFERENCE_FAILED, decoded.event().getEventId(),
          task.task().name(), "Cannot tokenize the text: " + e.getMessage(), e);
      return;
    }
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
        .build();
    buffer.put(nextSequence++, Codecs.BUFFERED_RECORD.encode(stored));
    bufferedRecords++;
    bufferedTokens += tokens;
    oldestEnqueuedAt = Math.min(oldestEnqueuedAt, now);
    if (policy.isFull(bufferedRecords, bufferedTokens) || policy.isDue(oldestEnqueuedAt, now)) {
      flush();
    }
  }

  private void flushIfDue(long wallClockMs) {
    if (bufferedRecords > 0 && policy.isDue(oldestEnqueuedAt, wallClockMs)) {
      flush();
    }
  }

  /** Runs everything buffered, forwards results in input order, then empties the buffer. */
  void flush() {
    List<PendingRecord> pending = new ArrayList<>(bufferedRecords);
    List<Long> flushed = new ArrayList<>(bufferedRecords);
    try (KeyValueIterator<Long, byte[]> all = buffer.all()) {
      while (all.hasNext()) {
        KeyValue<Long, byte[]> entry = all.next();
        flushed.add(entry.key);
        try {
          BufferedRecord stored = Codecs.BUFFERED_RECORD.decode(entry.value);
          TextEvent event =
              Codecs.TEXT_EVENT.decode(PendingRecord.bytes(stored.getOriginalValue()));
          pending.add(new PendingRecord(entry.key, stored, event));
        } catch (PayloadException e) {
          // Only possible for a buffer written by an incompatible version; never block on it.
          LOG.error("Dropping unreadable buffered entry {} in {}: {}", entry.key, storeName,
              e.getMessage());
        }
      }
    }
    long started = System.nanoTime();
    Outcome[] outcomes = new Outcome[pending.size()];
    runIsolated(pending, 0, pending.size(), outcomes);
    int failures = 0;
    for (int i = 0; i < pending.size(); i++) {
      PendingRecord record = pending.get(i);
      Outcome outcome = outcomes[i];
      if (outcome.value != null) {
        context.forward(new Record<>(record.event().getEventId(),
            new OutputValue(outcome.value, record.source()),
            record.buffered().getSourceTimestamp()), task.outputNode());
      } else {
        failures++;
        ReasonCode reason = outcome.error instanceof InferenceTimeoutException
            ? ReasonCode.INFERENCE_TIMEOUT : ReasonCode.INFERENCE_FAILED;
        deadLetters.send(context, record.source(), reason, record.event().getEventId(),
            task.task().name(), outcome.error.getMessage(), outcome.error);
      }
    }
    for (Long key : flushed) {
      buffer.delete(key);
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("Flushed {} {} record(s) ({} tokens, {} failed) in {} ms", pending.size(),
          task.task(), bufferedTokens, failures, (System.nanoTime() - started) / 1_000_000);
    }
    if (failures > 1 && failures == pending.size()) {
      LOG.error("Every record of a {}-record {} batch failed; the model or its runtime may be"
          + " broken rather than the inputs.", pending.size(), task.task());
    }
    bufferedRecords = 0;
    bufferedTokens = 0;
    oldestEnqueuedAt = Long.MAX_VALUE;
  }

  /**
   * Runs [from, to) as one batch; if it fails, splits it in halves until the failing records are
   * alone, so one bad record costs about log2(n) extra runs and never the whole batch.
   */
  private void runIsolated(List<PendingRecord> pending, int from, int to, Outcome[] outcomes) {
    if (from >= to) {
      return;
    }
    try {
      List<SpecificRecord> values = task.run(pending.subList(from, to));
      if (values.size() != to - from) {
        throw new InferenceException("Task returned " + values.size() + " results for "
            + (to - from) + " records");
      }
      for (int i = from; i < to; i++) {
        outcomes[i] = new Outcome(values.get(i - from), null);
      }
    } catch (InferenceException | RuntimeException e) {
      if (to - from == 1) {
        outcomes[from] = new Outcome(null, e);
        return;
      }
      LOG.warn("A {}-record {} batch failed ({}); splitting it to isolate the cause", to - from,
          task.task(), e.toString());
      int middle = (from + to) >>> 1;
      runIsolated(pending, from, middle, outcomes);
      runIsolated(pending, middle, to, outcomes);
    }
  }

  private record Outcome(SpecificRecord value, Exception error) {}
}
