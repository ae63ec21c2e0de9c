package dev.nlpstreams.faults;

import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.avro.DeadLetter;
import dev.nlpstreams.schema.avro.Entities;
import dev.nlpstreams.schema.avro.SourceCoordinates;
import dev.nlpstreams.schema.avro.Summary;
import dev.nlpstreams.schema.avro.Translation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A read_committed consumer over every output topic and the dead-letter topic, on its own thread,
 * as an independent verifier: it sees only what committed transactions (or, at-least-once, what
 * the producer) wrote, and counts distinct, duplicate and missing events against what was sent.
 */
final class OutputVerifier implements AutoCloseable {

  /** One output as read back. */
  record Output(String topic, int partition, long offset, String eventId, int sourcePartition,
      long sourceOffset, byte[] value, String reason, long arrivedNanos) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Set<String> deadLetterTopics;
  private final List<Output> outputs = new CopyOnWriteArrayList<>();
  private final Thread poller;
  private volatile boolean running = true;
  private volatile RuntimeException failure;

  OutputVerifier(String bootstrap, Collection<String> resultTopics, String deadLetterTopic) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    Set<String> topics = new HashSet<>(resultTopics);
    topics.add(deadLetterTopic);
    for (String topic : topics) {
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.deadLetterTopics = Set.of(deadLetterTopic);
    poller = new Thread(this::pollLoop, "output-verifier");
    poller.setDaemon(true);
    poller.start();
  }

  private void pollLoop() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          outputs.add(decode(record));
        }
      }
    } catch (org.apache.kafka.common.errors.WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private Output decode(ConsumerRecord<byte[], byte[]> record) {
    try {
      if (deadLetterTopics.contains(record.topic())) {
        DeadLetter letter = Codecs.DEAD_LETTER.decode(record.value());
        return new Output(record.topic(), record.partition(), record.offset(), letter.getEventId(),
            letter.getSourcePartition(), letter.getSourceOffset(), record.value(),
            letter.getReason().name(), System.nanoTime());
      }
      byte[] value = record.value();
      String id;
      SourceCoordinates source;
      if (value.length > 10 && matches(value, Codecs.ENTITIES.schema())) {
        Entities e = Codecs.ENTITIES.decode(value);
        id = e.getEventId();
        source = e.getSource();
      } else if (matches(value, Codecs.TRANSLATION.schema())) {
        Translation t = Codecs.TRANSLATION.decode(value);
        id = t.getEventId();
        source = t.getSource();
      } else {
        Summary s = Codecs.SUMMARY.decode(value);
        id = s.getEventId();
        source = s.getSource();
      }
      return new Output(record.topic(), record.partition(), record.offset(), id,
          source.getPartition(), source.getOffset(), value, null, System.nanoTime());
    } catch (PayloadException e) {
      throw new IllegalStateException("Unreadable output on " + record.topic() + ": " + e, e);
    }
  }

  /** Whether a single-object payload carries this schema's fingerprint. */
  private static boolean matches(byte[] value, org.apache.avro.Schema schema) {
    byte[] fingerprint = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putLong(org.apache.avro.SchemaNormalization.parsingFingerprint64(schema)).array();
    return value.length >= 10 && Arrays.equals(value, 2, 10, fingerprint, 0, 8);
  }

  List<Output> outputs() {
    if (failure != null) {
      throw failure;
    }
    return List.copyOf(outputs);
  }

  /** Results (not dead letters) for ids accepted by {@code ids}. */
  long resultCount(Predicate<String> ids) {
    return outputs().stream().filter(o -> o.reason() == null && ids.test(o.eventId())).count();
  }

  List<Output> deadLetters() {
    return outputs().stream().filter(o -> o.reason() != null).toList();
  }

  /** Waits until {@code condition} holds over the outputs, or the timeout passes. */
  boolean await(Predicate<List<Output>> condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.test(outputs())) {
        return true;
      }
      Thread.sleep(100);
    }
    return condition.test(outputs());
  }

  /** Counts against the expected ids, over the results of one topic. */
  record Counts(int expected, int distinct, int duplicates, int missing, int nonIdenticalDuplicates,
      int orderViolations, List<String> someMissing) {
    @Override
    public String toString() {
      return "expected " + expected + ", distinct " + distinct + ", duplicates " + duplicates
          + " (non-identical " + nonIdenticalDuplicates + "), missing " + missing
          + ", order violations " + orderViolations
          + (someMissing.isEmpty() ? "" : ", e.g. missing " + someMissing);
    }
  }

  Counts counts(String topic, Set<String> expectedIds) {
    Map<String, byte[]> first = new HashMap<>();
    int duplicates = 0;
    int nonIdentical = 0;
    // Per output partition and source partition, source offsets must only grow.
    Map<String, Long> lastSourceOffset = new HashMap<>();
    int orderViolations = 0;
    for (Output output : outputs()) {
      if (!output.topic().equals(topic) || output.reason() != null
          || !expectedIds.contains(output.eventId())) {
        continue;
      }
      byte[] previous = first.putIfAbsent(output.eventId(), output.value());
      if (previous != null) {
        duplicates++;
        if (!Arrays.equals(withoutTimings(previous), withoutTimings(output.value()))) {
          nonIdentical++;
        }
        continue;
      }
      String lane = output.partition() + "/" + output.sourcePartition();
      Long last = lastSourceOffset.put(lane, output.sourceOffset());
      if (last != null && last > output.sourceOffset()) {
        orderViolations++;
      }
    }
    Set<String> missing = new TreeSet<>(expectedIds);
    missing.removeAll(first.keySet());
    return new Counts(expectedIds.size(), first.size(), duplicates, missing.size(), nonIdentical,
        orderViolations, missing.stream().limit(5).toList());
  }

  /**
   * Outputs written twice (at-least-once) must agree in everything but their timings, which
   * measure the run that produced them: the entities themselves are compared byte for byte.
   */
  private static byte[] withoutTimings(byte[] value) {
    try {
      Entities entities = Codecs.ENTITIES.decode(value);
      return Codecs.ENTITIES.encode(entities);
    } catch (PayloadException e) {
      return value;
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    consumer.wakeup();
    poller.join(10_000);
  }
}
