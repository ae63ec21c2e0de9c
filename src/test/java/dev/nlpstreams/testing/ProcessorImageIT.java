package dev.nlpstreams.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.schema.avro.DeadLetter;
import dev.nlpstreams.schema.avro.Entities;
import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.schema.avro.Summary;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.avro.Translation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Network;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The processor image built from docker/Dockerfile, against the locally built Kafka image: every
 * task's results arrive, a malformed payload is dead-lettered, and the metrics endpoint shows the
 * traffic (batches, tokens, consumer lag, loaded models).
 */
class ProcessorImageIT {

  private static final int NER_EVENTS = 30;

  @BeforeEach
  void docker() {
    ContainerTests.requireDockerAndImages();
  }

  @Test
  void everyTaskRunsInTheImageAndTheMetricsShowTheTraffic() throws Exception {
    try (Network network = Network.newNetwork();
        KafkaContainer kafka = new KafkaContainer(ContainerTests.kafkaImage())
            .withNetwork(network).withListener("kafka:19092");
        NlpStreamsContainer nlp = new NlpStreamsContainer(ContainerTests.processorImage())
            .withKafka(network, "kafka:19092")
            // One record per poll: a burst waiting in the topic shows up as consumer lag.
            .withSetting("consumer.max.poll.records", "1")
            .withSetting("nlp.batch.max.records", "8")
            .withEnv("JAVA_OPTS", "-XX:MaxRAMPercentage=50")
            .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                .withMemory(2L * 1024 * 1024 * 1024))
            .dependsOn(kafka)) {
      kafka.start();
      try (NlpStreamsClient client = new NlpStreamsClient(kafka.getBootstrapServers())) {
        client.createTopics(3);
        // The burst is in the topic before the processor starts, so its first fetches lag.
        List<TextEvent> burst = new ArrayList<>();
        for (int i = 0; i < NER_EVENTS; i++) {
          burst.add(TextEvent.newBuilder().setEventId("ner-" + i)
              .setText("Angela Merkel met Tim Cook in Berlin.").setTasks(List.of(Task.NER))
              .build());
        }
        burst.add(TextEvent.newBuilder().setEventId("translate-1")
            .setText("the young woman buys a red umbrella.").setLanguage("en")
            .setTasks(List.of(Task.TRANSLATE)).build());
        burst.add(TextEvent.newBuilder().setEventId("summarize-1")
            .setText("A young woman buys your dangerous umbrella again. The dog runs. The bird"
                + " sings.").setTasks(List.of(Task.SUMMARIZE)).build());
        client.sendAll(burst);
        client.send("bad".getBytes(StandardCharsets.UTF_8),
            "not a TextEvent".getBytes(StandardCharsets.UTF_8));

        nlp.start();

        List<Entities> entities = client.awaitEntities(NER_EVENTS, Duration.ofSeconds(120));
        assertThat(entities).extracting(Entities::getEventId).doesNotHaveDuplicates();
        assertThat(entities.get(0).getEntities()).extracting(e -> e.getText())
            .contains("Angela Merkel", "Tim Cook", "Berlin");
        Translation translation = client.awaitTranslations(1, Duration.ofSeconds(60)).get(0);
        assertThat(translation.getText()).isEqualTo("die Frau jung kauft einen Regenschirm rot.");
        Summary summary = client.awaitSummaries(1, Duration.ofSeconds(60)).get(0);
        assertThat(summary.getText())
            .isEqualTo("A young woman buys your dangerous umbrella again.");
        DeadLetter letter = client.awaitDeadLetters(1, Duration.ofSeconds(30)).get(0);
        assertThat(letter.getReason()).isEqualTo(ReasonCode.MALFORMED_PAYLOAD);

        // Reached on 0.0.0.0:8080, which only the image's defaults file sets (the defaults are
        // 127.0.0.1 and a free port): the file is read, below every other source.
        assertMetricsShowTheTraffic(nlp);
      }
    }
  }

  private static void assertMetricsShowTheTraffic(NlpStreamsContainer nlp)
      throws InterruptedException {
    // Kafka's per-partition metrics reach the registry on the binder's next refresh (10 s):
    // scrape until they are there, within the 60 s the lag maximum's window keeps it.
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String scrape = nlp.scrapeMetrics();
    while (!ContainerTests.hasPositiveSample(scrape, "kafka_consumer_fetch_manager_records_lag_max",
        "topic=\"text-events\"") && System.nanoTime() < deadline) {
      Thread.sleep(1_000);
      scrape = nlp.scrapeMetrics();
    }
    assertThat(ContainerTests.maxSample(scrape, "kafka_consumer_fetch_manager_records_lag_max",
        "topic=\"text-events\"")).as("consumer lag of the burst").isPositive();
    // Per model run, under the model's own name (the bundled NER model) and device.
    String nerModel = "model=\"ner-bert-wordpiece\"";
    assertThat(ContainerTests.maxSample(scrape, "nlp_batch_size_count", nerModel))
        .as("NER model runs").isPositive();
    assertThat(ContainerTests.maxSample(scrape, "nlp_batch_size_sum", nerModel))
        .as("NER rows: one window per short event").isEqualTo(NER_EVENTS);
    assertThat(ContainerTests.maxSample(scrape, "nlp_inference_tokens_total", nerModel))
        .as("NER tokens").isPositive();
    assertThat(ContainerTests.maxSample(scrape, "nlp_batch_padding_efficiency_max", nerModel))
        .as("padding efficiency").isPositive().isLessThanOrEqualTo(1.0);
    assertThat(ContainerTests.maxSample(scrape, "nlp_inference_latency_seconds_count",
        "device=\"cpu\"")).as("model runs timed on the CPU").isPositive();
    assertThat(ContainerTests.maxSample(scrape, "nlp_queue_wait_seconds_count", "task=\"ner\""))
        .as("records that waited for a batch").isEqualTo(NER_EVENTS);
    assertThat(ContainerTests.maxSample(scrape, "nlp_stream_thread_busy_seconds_max",
        "task=\"ner\"")).as("longest stream-thread call").isPositive();
    assertThat(ContainerTests.maxSample(scrape, "nlp_records_out_total", "topic=\"entities\""))
        .isEqualTo(NER_EVENTS);
    assertThat(ContainerTests.maxSample(scrape, "nlp_dead_letters_total",
        "reason=\"MALFORMED_PAYLOAD\"")).isEqualTo(1.0);
    assertThat(ContainerTests.maxSample(scrape, "nlp_model_info",
        "model=\"ner-bert-wordpiece\"")).isEqualTo(1.0);
    assertThat(ContainerTests.maxSample(scrape, "jvm_memory_used_bytes", null)).isPositive();
  }
}
