package dev.nlpstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.metrics.NlpMeters;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.text.batch.FlushPolicy;
import dev.nlpstreams.text.ner.AggregationStrategy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The topology records into the meters it is given: records in and out, batches, dead letters. */
class TopologyMetersTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private TopologyTestDriver driver;

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  @Test
  void aFlushAndADeadLetterShowUpInTheMeters() {
    NlpTopology.Settings settings = new NlpTopology.Settings("test-app",
        new Topics("in", "entities", "dlq"), 10_000, AggregationStrategy.SIMPLE,
        new FlushPolicy(4, 10_000, 100), 64);
    driver = TopologyTests.driver(NlpTopology.build(settings,
        TaskEngines.nerOnly(new FakeRecognizer()), TopologyIo.singleObject(), FlushExecutors.direct(),
        new NlpMeters(registry)));
    TestInputTopic<byte[], byte[]> input =
        driver.createInputTopic("in", new ByteArraySerializer(), new ByteArraySerializer());
    for (String id : List.of("a", "b", "c")) {
      input.pipeInput(id.getBytes(StandardCharsets.UTF_8), Codecs.TEXT_EVENT.encode(
          TextEvent.newBuilder().setEventId(id).setText("Ann met Bob").setTasks(List.of(Task.NER))
              .build()));
    }
    input.pipeInput("bad".getBytes(StandardCharsets.UTF_8),
        "not avro".getBytes(StandardCharsets.UTF_8));
    driver.advanceWallClockTime(Duration.ofMillis(500));

    assertThat(registry.get(NlpMeters.RECORDS_IN).tag("topic", "in").tag("task", "NER").counter()
        .count()).isEqualTo(3.0);
    assertThat(registry.get(NlpMeters.RECORDS_OUT).tag("topic", "entities").tag("task", "NER")
        .counter().count()).isEqualTo(3.0);
    assertThat(registry.get(NlpMeters.DEAD_LETTERS).tag("reason", "MALFORMED_PAYLOAD").counter()
        .count()).isEqualTo(1.0);
    assertThat(registry.get(NlpMeters.BATCH_SIZE).tag("model", "ner").summary().totalAmount())
        .isEqualTo(3.0);
    assertThat(registry.get(NlpMeters.BATCH_FILL).summary().max()).isEqualTo(0.75);
    assertThat(registry.get(NlpMeters.INFERENCE_TOKENS).counter().count()).isPositive();
    assertThat(registry.get(NlpMeters.QUEUE_WAIT).timer().count()).isEqualTo(3);
    assertThat(registry.get(NlpMeters.INFERENCE_LATENCY).timer().count()).isEqualTo(1);
  }
}
