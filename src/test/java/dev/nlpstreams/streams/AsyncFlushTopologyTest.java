package dev.nlpstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.avro.Entities;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.text.batch.FlushPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Flushes run off the stream thread and finish late and out of order: forwarding stays in input
 * order, and a record leaves the changelogged buffer only once its result was forwarded.
 */
class AsyncFlushTopologyTest {

  private static final Topics TOPICS = new Topics("in", "entities", "dlq");
  private static final int MAX_RECORDS = 2;

  /** Flushes handed over but not yet run; the test runs them when and in the order it likes. */
  private final List<Runnable> handedOver = new ArrayList<>();
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> input;
  private TestOutputTopic<String, byte[]> entities;

  @BeforeEach
  void start() {
    NlpTopology.Settings settings = new NlpTopology.Settings("test-app", TOPICS, 10_000,
        new FlushPolicy(MAX_RECORDS, 1_000, 100), 64);
    driver = TopologyTests.driver(TaskEngines.nerOnly(new FakeRecognizer()).topology(settings,
        TopologyIo.singleObject(), InferenceEngines.using(handedOver::add)));
    input = driver.createInputTopic("in", new ByteArraySerializer(), new ByteArraySerializer());
    entities = TopologyTests.keyedOutput(driver, "entities");
  }

  @AfterEach
  void close() {
    driver.close();
  }

  private void send(String id) {
    input.pipeInput(id.getBytes(StandardCharsets.UTF_8), Codecs.TEXT_EVENT.encode(
        TextEvent.newBuilder().setEventId(id).setText("Ann met " + id).setTasks(List.of(Task.NER))
            .build()));
  }

  private long buffered() {
    KeyValueStore<Long, byte[]> store = driver.getKeyValueStore(NlpTopology.NER_BUFFER_STORE);
    return TopologyTests.entries(store);
  }

  private List<String> forwarded() throws Exception {
    return TopologyTests.readKeyed(entities, Codecs.ENTITIES, Entities::getEventId).stream()
        .map(Entities::getEventId).toList();
  }

  private void punctuate() {
    driver.advanceWallClockTime(Duration.ofMillis(50));
  }

  @Test
  void lateOutOfOrderFlushesAreForwardedInInputOrderAndDeletedOnlyThen() throws Exception {
    send("a");
    send("b"); // full: flush 1 handed over
    send("c");
    send("d"); // flush 2 handed over
    assertThat(handedOver).hasSize(2);
    assertThat(forwarded()).isEmpty();
    assertThat(buffered()).isEqualTo(4);

    // The second flush finishes first: nothing may overtake the first.
    handedOver.get(1).run();
    punctuate();
    assertThat(forwarded()).isEmpty();
    assertThat(buffered()).isEqualTo(4);

    // Time passes with the first still running: still nothing, and nothing deleted.
    for (int i = 0; i < 10; i++) {
      punctuate();
    }
    assertThat(forwarded()).isEmpty();
    assertThat(buffered()).isEqualTo(4);

    handedOver.get(0).run();
    punctuate();
    assertThat(forwarded()).containsExactly("a", "b", "c", "d");
    assertThat(buffered()).isZero();
  }

  @Test
  void recordsArrivingWhileAFlushRunsFormTheNextFlush() throws Exception {
    send("a");
    send("b");
    send("c");
    assertThat(handedOver).hasSize(1);
    handedOver.get(0).run();
    send("d"); // forwarding happens on the stream thread, after process() or on punctuation
    assertThat(forwarded()).containsExactly("a", "b");
    assertThat(buffered()).isEqualTo(2);
    handedOver.get(1).run();
    punctuate();
    assertThat(forwarded()).containsExactly("c", "d");
    assertThat(buffered()).isZero();
  }
}
