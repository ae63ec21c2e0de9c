package dev.nlpstreams.streams;

import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.text.batch.FlushPolicy;
import dev.nlpstreams.text.ner.AggregationStrategy;
import dev.nlpstreams.text.task.EntityRecognizer;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the processing topology. Kept apart from lifecycle code so tests run the very same
 * topology in TopologyTestDriver and on a real broker.
 *
 * <pre>
 * input topic -> decode (bad input -> dead letters) -> NER micro-batch buffer (changelogged store)
 *             -> entities topic (key = event id); per-record failures -> dead letters
 * </pre>
 */
public final class NlpTopology {

  public static final String SOURCE = "text-events";
  public static final String DECODE = "decode-and-route";
  public static final String NER_BATCH = "ner-micro-batch";
  public static final String NER_BUFFER_STORE = "ner-batch-buffer";
  public static final String ENTITIES_SINK = "entities-sink";
  public static final String DEAD_LETTER_SINK = "dead-letter-sink";

  private NlpTopology() {}

  /** Settings that shape the topology. */
  public record Settings(String applicationId, Topics topics, int maxTextChars,
      AggregationStrategy defaultAggregation, FlushPolicy flushPolicy,
      int deadLetterMaxValueBytes) {}

  public static Topology build(Settings settings, EntityRecognizer recognizer) {
    Topics topics = settings.topics();
    DeadLetters deadLetters = new DeadLetters(settings.applicationId(), DEAD_LETTER_SINK,
        settings.deadLetterMaxValueBytes());
    NerBatchTask nerTask =
        new NerBatchTask(recognizer, settings.defaultAggregation(), ENTITIES_SINK);

    StoreBuilder<?> nerBuffer = Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(NER_BUFFER_STORE), Serdes.Long(), Serdes.ByteArray())
        .withLoggingEnabled(Map.of());

    Topology topology = new Topology();
    topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
        topics.input());
    topology.addProcessor(DECODE,
        () -> new EventDecodeProcessor(Map.of(Task.NER, NER_BATCH), settings.maxTextChars(),
            deadLetters, Map.of(Task.NER, NerBatchTask::checkOptions)),
        SOURCE);
    topology.addProcessor(NER_BATCH,
        () -> new MicroBatchProcessor(NER_BUFFER_STORE, nerTask, settings.flushPolicy(),
            deadLetters),
        DECODE);
    topology.addStateStore(nerBuffer, NER_BATCH);
    topology.addSink(ENTITIES_SINK, topics.entities(), new StringSerializer(),
        new ByteArraySerializer(), NER_BATCH);
    topology.addSink(DEAD_LETTER_SINK, topics.deadLetters(), new ByteArraySerializer(),
        new ByteArraySerializer(), DECODE, NER_BATCH);
    return topology;
  }
}
