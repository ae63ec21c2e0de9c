package dev.nlpstreams.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Meter names, tags and values are a contract with dashboards and alerts: pin them exactly. */
class NlpMetersTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final NlpMeters meters = new NlpMeters(registry);

  @Test
  void countsRecordsInOutAndDeadLettersByTheirTags() {
    meters.recordIn("text-events", "NER");
    meters.recordIn("text-events", "NER");
    meters.recordOut("entities", "NER");
    meters.deadLetter("MALFORMED_PAYLOAD", null);

    assertThat(registry.get("nlp.records.in").tag("topic", "text-events").tag("task", "NER")
        .counter().count()).isEqualTo(2.0);
    assertThat(registry.get("nlp.records.out").tag("topic", "entities").counter().count())
        .isEqualTo(1.0);
    assertThat(registry.get("nlp.dead.letters").tag("reason", "MALFORMED_PAYLOAD")
        .tag("task", NlpMeters.UNKNOWN).counter().count()).isEqualTo(1.0);
  }

  @Test
  void batchShapeTokensAndPaddingEfficiency() {
    meters.batch("bert", 8, 32);
    meters.tokens("bert", 300, 400);
    meters.tokens("bert", 100, 0);

    assertThat(registry.get("nlp.batch.size").tag("model", "bert").summary().totalAmount())
        .isEqualTo(8.0);
    assertThat(registry.get("nlp.batch.fill").tag("model", "bert").summary().max())
        .isCloseTo(0.25, within(1e-9));
    assertThat(registry.get("nlp.inference.tokens").tag("model", "bert").counter().count())
        .isEqualTo(400.0);
    // The run without a known padded size does not count as a perfectly efficient one.
    assertThat(registry.get("nlp.batch.padding.efficiency").summary().count()).isEqualTo(1);
    assertThat(registry.get("nlp.batch.padding.efficiency").summary().max())
        .isCloseTo(0.75, within(1e-9));
  }

  @Test
  void timersStepsAndModelInfo() {
    meters.queueWait("marian", Duration.ofMillis(40));
    meters.queueWait("marian", Duration.ofMillis(-5));
    meters.inferenceLatency("marian", "cpu", TimeUnit.MILLISECONDS.toNanos(12));
    meters.generationSteps("marian", 17);
    meters.modelInfo("translate", "marian", "sha256:abc", "cpu");

    assertThat(registry.get("nlp.queue.wait").timer().count()).isEqualTo(2);
    assertThat(registry.get("nlp.queue.wait").timer().totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(40.0);
    assertThat(registry.get("nlp.inference.latency").tag("device", "cpu").timer()
        .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(12.0);
    assertThat(registry.get("nlp.generation.steps").counter().count()).isEqualTo(17.0);
    assertThat(registry.get("nlp.model.info").tag("task", "translate").tag("model", "marian")
        .tag("version", "sha256:abc").tag("device", "cpu").gauge().value()).isEqualTo(1.0);
  }

  @Test
  void noneRecordsNothingAndNeverFails() {
    NlpMeters none = NlpMeters.none();
    none.recordIn("t", "NER");
    none.batch("m", 1, 1);
    // A composite registry without children keeps no values.
    assertThat(none.registry().get("nlp.records.in").counter().count()).isZero();
  }
}
