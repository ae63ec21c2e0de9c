package dev.nlpstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.metrics.NlpMeters;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.text.batch.FlushPolicy;
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
  void recordsDeadLettersQueueWaitAndStreamThreadTimeShowUpInTheMeters() {
    NlpTopology.Settings settings = new NlpTopology.Settings("test-app",
        new Topics("in", "entities", "dlq"), 10_000, new FlushPolicy(4, 10_000, 100), 64);
    driver = TopologyTests.driver(TaskEngines.nerOnly(new FakeRecognizer()).topology(settings,
        TopologyIo.singleObject(), InferenceEngines.direct(), new NlpMeters(registry)));
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
    // The three records waited for one batch (the 100 ms max wait), measured per record.
    assertThat(registry.get(NlpMeters.QUEUE_WAIT).tag("task", "ner").timer().count())
        .isEqualTo(3);
    assertThat(registry.get(NlpMeters.QUEUE_WAIT).tag("task", "ner").timer()
        .max(java.util.concurrent.TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(100);
    // Every process and punctuate call of the NER buffer is timed on the stream thread.
    assertThat(registry.get(NlpMeters.STREAM_THREAD_BUSY).tag("task", "ner").timer().count())
        .isGreaterThanOrEqualTo(4);
    // Model-run meters (rows, padding, latency) come from the models, not the topology: a fake
    // model reports none.
    assertThat(registry.find(NlpMeters.BATCH_SIZE).meters()).isEmpty();
  }
}
