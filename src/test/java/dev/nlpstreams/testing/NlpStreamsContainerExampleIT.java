package dev.nlpstreams.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.schema.avro.Entities;
import dev.nlpstreams.schema.avro.Entity;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Network;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The README's Testcontainers example: what a user writes to test their own producer or consumer
 * against a real nlp-streams processor. A Kafka container and the processor share a network; the
 * test talks to Kafka through its mapped port and to nothing else.
 */
class NlpStreamsContainerExampleIT {

  @BeforeEach
  void docker() {
    ContainerTests.requireDockerAndImages();
  }

  @Test
  void namedEntitiesOfAnEventArriveOnTheEntitiesTopic() throws Exception {
    try (Network network = Network.newNetwork();
        KafkaContainer kafka = new KafkaContainer(ContainerTests.kafkaImage())
            .withNetwork(network)
            .withListener("kafka:19092");               // the address other containers use
        NlpStreamsContainer nlp = new NlpStreamsContainer(ContainerTests.processorImage())
            .withKafka(network, "kafka:19092")
            .withTasks("ner")
            .withProcessingGuarantee("exactly_once_v2")
            .dependsOn(kafka)) {
      kafka.start();
      try (NlpStreamsClient client = new NlpStreamsClient(kafka.getBootstrapServers())) {
        client.createTopics(3);                         // Kafka Streams needs its input topic
        nlp.start();                                    // returns once /health/ready says 200

        client.send(TextEvent.newBuilder()
            .setEventId("ner-1")
            .setText("Angela Merkel met Tim Cook in Berlin.")
            .setTasks(List.of(Task.NER))
            .build());

        List<Entities> results = client.awaitEntities(1, Duration.ofSeconds(90));
        assertThat(results.get(0).getEventId()).isEqualTo("ner-1");
        assertThat(results.get(0).getEntities())
            .extracting(Entity::getLabel, Entity::getText)
            .contains(org.assertj.core.groups.Tuple.tuple("PER", "Angela Merkel"),
                org.assertj.core.groups.Tuple.tuple("LOC", "Berlin"));
      }
    }
  }
}
