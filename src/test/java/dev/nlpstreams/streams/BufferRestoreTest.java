package dev.nlpstreams.streams;

import dev.nlpstreams.metrics.NlpMeters;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.avro.DeadLetter;
import dev.nlpstreams.schema.avro.Entities;
import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.avro.internal.BufferedRecord;
import dev.nlpstreams.text.batch.FlushPolicy;
import dev.nlpstreams.text.ner.AggregationStrategy;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/** What a processor finds in its buffer store when its task is restored. */
class BufferRestoreTest {

  private static final String STORE = "ner-batch-buffer";

  private static byte[] buffered(String id, long enqueuedAt) {
    byte[] event = Codecs.TEXT_EVENT.encode(TextEvent.newBuilder().setEventId(id)
        .setText("Ann met " + id).setTasks(List.of(Task.NER)).build());
    return Codecs.BUFFERED_RECORD.encode(BufferedRecord.newBuilder().setSourceTopic("in")
        .setSourcePartition(0).setSourceOffset(7).setSourceTimestamp(1)
        .setOriginalValue(ByteBuffer.wrap(event)).setEnqueuedAt(enqueuedAt).setTokenCount(3)
        .build());
  }

  /** The NER buffer store, in memory, registered with {@code context} (nothing restored yet). */
  private static KeyValueStore<Long, byte[]> bufferStore(
      MockProcessorContext<Object, Object> context) {
    KeyValueStore<Long, byte[]> store = Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(STORE), Serdes.Long(), Serdes.ByteArray())
        .withLoggingDisabled().build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
    return store;
  }

  /** A NER batch processor over that store, its batches run inline on a fake model. */
  private static MicroBatchProcessor nerProcessor() {
    InferenceEngine engine = InferenceEngines.direct().engine(Task.NER,
        new NerBatchTask(new FakeRecognizer(), AggregationStrategy.SIMPLE, "entities-sink",
            5_000), new FlushPolicy(32, 10_000, 100), NlpMeters.none());
    return new MicroBatchProcessor(STORE, engine, "entities",
        new DeadLetters("app", "dlq-sink", 1_000),
        new RecordSizeLimit(1_000_000, new SingleObjectSerializer()), NlpMeters.none());
  }

  @Test
  void anUnreadableEntryIsDeadLetteredAndTheRestFlushOnTime() throws Exception {
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    KeyValueStore<Long, byte[]> store = bufferStore(context);
    long now = 10_000_000;
    context.setCurrentSystemTimeMs(now);
    store.put(3L, new byte[] {1, 2, 3}); // written by an incompatible version
    store.put(4L, buffered("a", now - 5)); // restored recently: not due yet
    store.put(5L, buffered("b", now - 1));

    MicroBatchProcessor processor = nerProcessor();
    processor.init(context);
    var punctuator = context.scheduledPunctuators().get(0).getPunctuator();

    // First punctuation: the unreadable entry becomes a dead letter at once; the others are not
    // due yet (the old overflow made such a buffer flush only when full).
    punctuator.punctuate(now);
    assertThat(context.forwarded()).hasSize(1);
    DeadLetter letter = (DeadLetter) ((OutputValue) context.forwarded().get(0).record().value())
        .result();
    assertThat(letter.getReason()).isEqualTo(ReasonCode.MALFORMED_PAYLOAD);
    assertThat(letter.getErrorMessage()).contains("cannot be read");
    assertThat(store.get(3L)).isNull();

    // Their max wait passes: both flush, in order, and leave the store.
    context.resetForwards();
    context.setCurrentSystemTimeMs(now + 100);
    punctuator.punctuate(now + 100);
    // Results reach the sink serialized (single-object encoding), keyed by event id.
    dev.nlpstreams.schema.AvroCodec<Entities> entities =
        new dev.nlpstreams.schema.AvroCodec<>(Entities.getClassSchema());
    List<String> keys = new java.util.ArrayList<>();
    List<String> eventIds = new java.util.ArrayList<>();
    for (var forward : context.forwarded()) {
      keys.add((String) forward.record().key());
      eventIds.add(entities.decode((byte[]) forward.record().value()).getEventId().toString());
    }
    assertThat(keys).containsExactly("a", "b");
    assertThat(eventIds).containsExactly("a", "b");
    assertThat(store.approximateNumEntries()).isZero();
  }

  @Test
  void aTaskRevivedBeforeItsFirstPunctuationDeadLettersAnUnreadableEntryOnce() throws Exception {
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    KeyValueStore<Long, byte[]> store = bufferStore(context);
    long now = 10_000_000;
    context.setCurrentSystemTimeMs(now);
    store.put(3L, new byte[] {1, 2, 3}); // written by an incompatible version

    MicroBatchProcessor processor = nerProcessor();
    // Kafka Streams closes a corrupted task and initialises the same processor instances again.
    processor.init(context);
    processor.close();
    context.resetForwards();
    processor.init(context);
    var punctuator = context.scheduledPunctuators().get(context.scheduledPunctuators().size() - 1)
        .getPunctuator();

    punctuator.punctuate(now);
    assertThat(context.forwarded()).hasSize(1);
    assertThat(store.get(3L)).isNull();
  }
}
