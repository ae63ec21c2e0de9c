package dev.nlpstreams.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.app.tasks.EmbedModule;
import dev.nlpstreams.config.EmbedConfig;
import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.avro.Embedding;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.testsupport.SharedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embed task end to end: the real all-MiniLM-L6-v2 (int8, from Maven Central, assembled under
 * target/ by the build) behind the processor on a real KRaft broker.
 */
class EmbedPipelineIT {

  /** Assembled by the build in generate-test-resources (see MiniLmEmbeddingModel). */
  private static final Path MODEL = Path.of(System.getProperty("test.embedding.minilm.model",
      "target/models/all-minilm-l6-v2-int8"));

  @TempDir
  Path stateDir;
  private NlpStreamsApp app;

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void sentencesBecomeUnitVectorsWhoseCosinesFollowTheirMeaning() throws Exception {
    String input = SharedKafkaBroker.uniqueTopicName("in");
    String embeddings = SharedKafkaBroker.uniqueTopicName("embeddings");
    String deadLetters = SharedKafkaBroker.uniqueTopicName("dlq");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers",
        SharedKafkaBroker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(input, 3, (short) 1),
          new NewTopic(embeddings, 3, (short) 1), new NewTopic(deadLetters, 1, (short) 1)))
          .all().get();
    }
    Map<String, String> settings = new HashMap<>();
    settings.put("bootstrap.servers", SharedKafkaBroker.bootstrapServers());
    settings.put("application.id", SharedKafkaBroker.uniqueTopicName("app"));
    settings.put("state.dir", stateDir.toString());
    settings.put("commit.interval.ms", "100");
    settings.put(NlpStreamsConfig.INPUT_TOPIC, input);
    settings.put(EmbedConfig.TOPIC, embeddings);
    settings.put(NlpStreamsConfig.DEAD_LETTER_TOPIC, deadLetters);
    settings.put(NlpStreamsConfig.TASKS, "embed");
    settings.put(EmbedConfig.MODEL, MODEL.toString());
    settings.put(NlpStreamsConfig.BATCH_MAX_WAIT_MS, "50");
    app = NlpStreamsApp.start(NlpStreamsConfig.of(settings));
    assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();

    Map<String, String> texts = Map.of(
        "guitar-1", "A man is playing a guitar.",
        "guitar-2", "Someone plays the guitar on stage.",
        "market", "The stock market fell sharply on Monday.",
        "empty", "");
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(),
        new StringSerializer(), new ByteArraySerializer())) {
      for (Map.Entry<String, String> text : texts.entrySet()) {
        producer.send(new ProducerRecord<>(input, text.getKey(), Codecs.TEXT_EVENT.encode(
            TextEvent.newBuilder().setEventId(text.getKey()).setText(text.getValue())
                .setTasks(List.of(Task.EMBED)).build())));
      }
    }
    Map<String, Embedding> byId = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : read(embeddings, texts.size())) {
      Embedding embedding = EmbedModule.CODEC.decode(record.value());
      byId.put(embedding.getEventId(), embedding);
    }
    assertThat(byId).containsOnlyKeys(texts.keySet());
    for (Embedding embedding : byId.values()) {
      assertThat(embedding.getDimension()).isEqualTo(384);
      assertThat(embedding.getVector()).hasSize(384);
      assertThat(embedding.getNormalized()).isTrue();
      assertThat(embedding.getPooling()).isEqualTo("mean");
      assertThat(dot(embedding, embedding)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
      assertThat(embedding.getSource().getTopic()).isEqualTo(input);
    }
    // A real pretrained model: two sentences about a guitar are far closer to each other than
    // either is to one about the stock market.
    double sameTopic = dot(byId.get("guitar-1"), byId.get("guitar-2"));
    double otherTopic = Math.max(dot(byId.get("guitar-1"), byId.get("market")),
        dot(byId.get("guitar-2"), byId.get("market")));
    assertThat(sameTopic).isGreaterThan(0.5).isGreaterThan(otherTopic + 0.3);
  }

  private static double dot(Embedding a, Embedding b) {
    double sum = 0;
    for (int i = 0; i < a.getVector().size(); i++) {
      sum += a.getVector().get(i) * b.getVector().get(i);
    }
    return sum;
  }

  private static Properties producerProps() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    return p;
  }

  private static List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, SharedKafkaBroker.uniqueTopicName("reader"));
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
    }
    return records;
  }
}
