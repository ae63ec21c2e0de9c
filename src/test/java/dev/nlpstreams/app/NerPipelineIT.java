package dev.nlpstreams.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.avro.DeadLetter;
import dev.nlpstreams.schema.avro.Entities;
import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.testsupport.SharedKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
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
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole processor with the real model on a real KRaft broker. */
class NerPipelineIT {

  private static final int PARTITIONS = 3;
  @TempDir
  Path stateDir;
  private String input;
  private String entitiesTopic;
  private String deadLetterTopic;
  private NlpStreamsApp app;

  @BeforeEach
  void start() throws Exception {
    start(Map.of());
  }

  private void start(Map<String, String> extra) throws Exception {
    if (app != null) {
      app.close();
    }
    input = SharedKafkaBroker.uniqueTopicName("in");
    entitiesTopic = SharedKafkaBroker.uniqueTopicName("entities");
    deadLetterTopic = SharedKafkaBroker.uniqueTopicName("dlq");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers",
        SharedKafkaBroker.bootstrapServers()))) {
      // The input topic accepts records up to 4 MiB so an oversized text reaches the processor.
      admin.createTopics(List.of(
          new NewTopic(input, PARTITIONS, (short) 1)
              .configs(Map.of("max.message.bytes", String.valueOf(4 << 20))),
          new NewTopic(entitiesTopic, PARTITIONS, (short) 1),
          new NewTopic(deadLetterTopic, PARTITIONS, (short) 1))).all().get();
    }
    Map<String, String> settings = new HashMap<>();
    settings.put("bootstrap.servers", SharedKafkaBroker.bootstrapServers());
    settings.put("application.id", SharedKafkaBroker.uniqueTopicName("app"));
    settings.put("state.dir", stateDir.toString());
    settings.put("commit.interval.ms", "100");
    settings.put(NlpStreamsConfig.INPUT_TOPIC, input);
    settings.put(NlpStreamsConfig.ENTITIES_TOPIC, entitiesTopic);
    settings.put(NlpStreamsConfig.DEAD_LETTER_TOPIC, deadLetterTopic);
    settings.put(NlpStreamsConfig.BATCH_MAX_WAIT_MS, "50");
    settings.put(NlpStreamsConfig.BATCH_MAX_RECORDS, "8");
    settings.put(NlpStreamsConfig.TASKS, "ner");
    settings.putAll(extra);
    app = NlpStreamsApp.start(NlpStreamsConfig.of(settings));
    assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  private KafkaProducer<String, byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(4 << 20));
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  private List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected, Duration timeout) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, SharedKafkaBroker.uniqueTopicName("reader"));
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Only committed output counts: under exactly-once, aborted writes must never be seen.
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
      // A little longer, to catch anything produced beyond what was expected.
      consumer.poll(Duration.ofMillis(500)).forEach(records::add);
    }
    return records;
  }

  @Test
  void eventsInEntitiesOutInInputOrderPerPartition() throws Exception {
    produceAndCheckOrder(60);
  }

  @Test
  void exactlyOnceWithTwoStreamThreadsDeliversEveryEventOnce() throws Exception {
    // Each test owns fresh topics; restart the app on them with EOS and two threads.
    start(Map.of("processing.guarantee", "exactly_once_v2", "num.stream.threads", "2"));
    produceAndCheckOrder(60);
  }

  private void produceAndCheckOrder(int events) throws Exception {
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (int i = 0; i < events; i++) {
        String id = "ev-" + i;
        String text = SampleEvents.SENTENCES.get(i % SampleEvents.SENTENCES.size());
        // Keys spread events over the input partitions.
        producer.send(new ProducerRecord<>(input, "key-" + (i % 7), SampleEvents.encoded(id, text)));
      }
    }
    List<ConsumerRecord<byte[], byte[]>> out = read(entitiesTopic, events, Duration.ofSeconds(90));
    assertThat(out).hasSize(events);
    Map<String, Entities> byId = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : out) {
      Entities entities = Codecs.ENTITIES.decode(record.value());
      assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(entities.getEventId());
      byId.put(entities.getEventId(), entities);
    }
    assertThat(byId).hasSize(events);
    assertThat(byId.get("ev-0").getEntities()).extracting(e -> e.getLabel() + ":" + e.getText())
        .containsExactly("PER:Angela Merkel", "PER:Tim Cook", "LOC:Berlin");
    // Within each output partition, results of one input partition appear in input-offset order.
    Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byOutputPartition = out.stream()
        .collect(Collectors.groupingBy(ConsumerRecord::partition));
    for (List<ConsumerRecord<byte[], byte[]>> partition : byOutputPartition.values()) {
      Map<Integer, Long> lastOffsetByInputPartition = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> record : partition) {
        Entities entities = Codecs.ENTITIES.decode(record.value());
        int inputPartition = entities.getSource().getPartition();
        long offset = entities.getSource().getOffset();
        Long previous = lastOffsetByInputPartition.put(inputPartition, offset);
        if (previous != null) {
          assertThat(offset).isGreaterThan(previous);
        }
      }
    }
  }

  @Test
  void badInputBecomesDeadLettersWhileNeighboursPass() throws Exception {
    String mebibyteText = "Berlin ".repeat((1 << 20) / 7 + 1);
    try (KafkaProducer<String, byte[]> producer = producer()) {
      producer.send(new ProducerRecord<>(input, "k", SampleEvents.encoded("before", "Tim Cook")));
      producer.send(new ProducerRecord<>(input, "k", new byte[] {(byte) 0xC3, 0x01, 9, 9, 9}));
      producer.send(new ProducerRecord<>(input, "k", null));
      producer.send(new ProducerRecord<>(input, "k", SampleEvents.encoded("empty", "")));
      producer.send(new ProducerRecord<>(input, "k", SampleEvents.encoded("huge", mebibyteText)));
      producer.send(new ProducerRecord<>(input, "k", SampleEvents.encoded("after", "Berlin")));
    }
    List<ConsumerRecord<byte[], byte[]>> letters = read(deadLetterTopic, 3, Duration.ofSeconds(60));
    List<ConsumerRecord<byte[], byte[]>> results = read(entitiesTopic, 3, Duration.ofSeconds(60));

    List<DeadLetter> decoded = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : letters) {
      decoded.add(Codecs.DEAD_LETTER.decode(record.value()));
    }
    assertThat(decoded).extracting(DeadLetter::getReason).containsExactly(
        ReasonCode.MALFORMED_PAYLOAD, ReasonCode.NULL_VALUE, ReasonCode.TEXT_TOO_LARGE);
    assertThat(decoded).extracting(DeadLetter::getSourceOffset).containsExactly(1L, 2L, 4L);
    assertThat(decoded).allSatisfy(l -> {
      assertThat(l.getSourceTopic()).isEqualTo(input);
      assertThat(l.getSourceTimestamp().toEpochMilli()).isPositive();
    });
    assertThat(decoded.get(2).getOriginalValueSize()).isGreaterThan(1 << 20);
    assertThat(decoded.get(2).getOriginalValueTruncated()).isTrue();

    List<Entities> entities = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : results) {
      entities.add(Codecs.ENTITIES.decode(record.value()));
    }
    // Results are keyed by event id and so spread over output partitions: order by input offset.
    entities.sort(java.util.Comparator.comparingLong(e -> e.getSource().getOffset()));
    assertThat(entities).extracting(Entities::getEventId).containsExactly("before", "empty",
        "after");
    assertThat(entities.get(1).getEntities()).isEmpty();
    assertThat(entities.get(2).getEntities()).extracting(e -> e.getLabel())
        .containsExactly("LOC");
    assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
  }
}
