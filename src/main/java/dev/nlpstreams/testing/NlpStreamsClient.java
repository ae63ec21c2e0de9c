package dev.nlpstreams.testing;

import dev.nlpstreams.schema.AvroCodec;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.avro.DeadLetter;
import dev.nlpstreams.schema.avro.Embedding;
import dev.nlpstreams.schema.avro.Entities;
import dev.nlpstreams.schema.avro.Summary;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.avro.Translation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Talks to the Kafka cluster an {@link NlpStreamsContainer} processes, from the test's side:
 * creates the topics, sends {@link TextEvent}s (Avro single-object encoding) and waits for results.
 * Topic names are the processor's defaults unless given ({@link TopicNames}).
 *
 * <p>Each {@code await...} call returns the next records of its topic that no earlier call
 * returned, so a test can send, await, send again and await again.
 */
public final class NlpStreamsClient implements AutoCloseable {

  /** The processor's default topic names (nlp.input.topic, nlp.entities.topic, ...). */
  public record TopicNames(String input, String entities, String translations, String summaries,
      String embeddings, String deadLetters) {
    public static final TopicNames DEFAULTS = new TopicNames("text-events", "entities",
        "translations", "summaries", "embeddings", "nlp-dead-letters");

    /** Names for a processor that keeps the default embeddings topic (or runs no embed task). */
    public TopicNames(String input, String entities, String translations, String summaries,
        String deadLetters) {
      this(input, entities, translations, summaries, "embeddings", deadLetters);
    }

    public List<String> all() {
      return List.of(input, entities, translations, summaries, embeddings, deadLetters);
    }
  }

  /** Embedding is the embed task module's own schema, so its codec is made here. */
  private static final AvroCodec<Embedding> EMBEDDING = new AvroCodec<>(
      Embedding.getClassSchema());

  private final String bootstrapServers;
  private final TopicNames topics;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Map<String, KafkaConsumer<byte[], byte[]>> consumers = new HashMap<>();
  private final Map<String, java.util.Deque<ConsumerRecord<byte[], byte[]>>> unclaimed =
      new HashMap<>();

  /** @param bootstrapServers as reachable from the test (for example kafka.getBootstrapServers()) */
  public NlpStreamsClient(String bootstrapServers) {
    this(bootstrapServers, TopicNames.DEFAULTS);
  }

  /** A client for a processor configured with other topic names. */
  public NlpStreamsClient(String bootstrapServers, TopicNames topics) {
    this.bootstrapServers = bootstrapServers;
    this.topics = topics;
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    this.producer = new KafkaProducer<>(config, new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  public TopicNames topics() {
    return topics;
  }

  /**
   * Creates the input, output and dead-letter topics (existing ones are kept). Call it before the
   * processor starts: Kafka Streams stops when its input topic does not exist.
   */
  public void createTopics(int partitions) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      for (String topic : topics.all()) {
        try {
          admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("Cannot create topic " + topic, e.getCause());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topics", e);
    }
  }

  /** Sends an event to the input topic, keyed by its event id, and waits for the broker's ack. */
  public void send(TextEvent event) {
    send(event.getEventId().getBytes(StandardCharsets.UTF_8), Codecs.TEXT_EVENT.encode(event));
  }

  /** Sends every event without waiting in between (a burst), then waits for every ack. */
  public void sendAll(List<TextEvent> events) {
    List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
    for (TextEvent event : events) {
      acks.add(producer.send(new ProducerRecord<>(topics.input(),
          event.getEventId().getBytes(StandardCharsets.UTF_8), Codecs.TEXT_EVENT.encode(event))));
    }
    try {
      for (java.util.concurrent.Future<?> ack : acks) {
        ack.get();
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("Cannot send to " + topics.input(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while sending", e);
    }
  }

  /** Sends raw bytes to the input topic (for example a malformed payload, to see a dead letter). */
  public void send(byte[] key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topics.input(), key, value)).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("Cannot send to " + topics.input(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while sending", e);
    }
  }

  public List<Entities> awaitEntities(int count, Duration timeout) throws TimeoutException {
    return await(topics.entities(), Codecs.ENTITIES, count, timeout);
  }

  public List<Translation> awaitTranslations(int count, Duration timeout) throws TimeoutException {
    return await(topics.translations(), Codecs.TRANSLATION, count, timeout);
  }

  public List<Summary> awaitSummaries(int count, Duration timeout) throws TimeoutException {
    return await(topics.summaries(), Codecs.SUMMARY, count, timeout);
  }

  /** Sentence embeddings; the processor writes them when nlp.tasks includes embed. */
  public List<Embedding> awaitEmbeddings(int count, Duration timeout) throws TimeoutException {
    return await(topics.embeddings(), EMBEDDING, count, timeout);
  }

  public List<DeadLetter> awaitDeadLetters(int count, Duration timeout) throws TimeoutException {
    return await(topics.deadLetters(), Codecs.DEAD_LETTER, count, timeout);
  }

  /**
   * The next {@code count} records of {@code topic}, decoded.
   *
   * @throws TimeoutException when fewer arrived in time; the message says how many did
   */
  public <T extends SpecificRecord> List<T> await(String topic, AvroCodec<T> codec, int count,
      Duration timeout) throws TimeoutException {
    List<T> results = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : awaitRecords(topic, count, timeout)) {
      try {
        results.add(codec.decode(record.value()));
      } catch (PayloadException e) {
        throw new IllegalStateException("Unreadable record at " + topic + "-"
            + record.partition() + "@" + record.offset() + ": " + e.getMessage(), e);
      }
    }
    return results;
  }

  /**
   * The next {@code count} records of {@code topic}, undecoded: for checks that must not depend on
   * the wire format (single-object encoding or Schema Registry framing).
   *
   * @throws TimeoutException when fewer arrived in time; the message says how many did
   */
  public List<ConsumerRecord<byte[], byte[]>> awaitRecords(String topic, int count,
      Duration timeout) throws TimeoutException {
    KafkaConsumer<byte[], byte[]> consumer = consumers.computeIfAbsent(topic, this::consumer);
    // Records polled beyond what a call asked for wait here for the next call.
    java.util.Deque<ConsumerRecord<byte[], byte[]>> received =
        unclaimed.computeIfAbsent(topic, t -> new java.util.ArrayDeque<>());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (received.size() < count) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException("Received " + received.size() + " of " + count
            + " record(s) from " + topic + " within " + timeout);
      }
      consumer.poll(Duration.ofNanos(Math.min(left, Duration.ofMillis(500).toNanos())))
          .forEach(received::add);
    }
    List<ConsumerRecord<byte[], byte[]>> results = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      results.add(received.poll());
    }
    return results;
  }

  private KafkaConsumer<byte[], byte[]> consumer(String topic) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    // No group: assigned every partition from the start, so nothing written before is missed.
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Under exactly_once_v2 a restarted or rebalanced processor aborts transactions; what they
    // wrote must not show up as results (at_least_once writes no transactions: no cost there).
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<org.apache.kafka.common.TopicPartition> partitions = new ArrayList<>();
    consumer.partitionsFor(topic, Duration.ofSeconds(30))
        .forEach(p -> partitions.add(new org.apache.kafka.common.TopicPartition(topic,
            p.partition())));
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return consumer;
  }

  @Override
  public void close() {
    consumers.values().forEach(KafkaConsumer::close);
    consumers.clear();
    producer.close(Duration.ofSeconds(5));
  }
}
