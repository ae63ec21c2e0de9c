package dev.nlpstreams.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.nlpstreams.app.embedded.EmbeddedKafkaBroker;

/**
 * One embedded KRaft broker per test JVM, started on first use and stopped by its JVM shutdown hook,
 * so that every integration test class can share it instead of paying a broker start each.
 *
 * <p>Tests sharing it must not stop, kill or restart it (start a private {@link EmbeddedKafkaBroker}
 * for that) and should use {@link #createTopic(String, int)} so that their topics never collide.
 */
public final class SharedKafkaBroker {

  private static final AtomicInteger TOPIC_COUNTER = new AtomicInteger();
  private static EmbeddedKafkaBroker broker;

  private SharedKafkaBroker() {
  }

  /** The shared broker, started if this is the first call in this JVM. */
  public static synchronized EmbeddedKafkaBroker get() {
    if (broker == null || !broker.isRunning()) {
      if (broker != null) {
        // It died under us (a test broke the rule above): start a fresh one rather than fail
        // every following test.
        broker.close();
      }
      EmbeddedKafkaBroker started = EmbeddedKafkaBroker.builder().shutdownHook(true).build();
      try {
        started.start();
      } catch (RuntimeException e) {
        started.close();
        throw e;
      }
      broker = started;
    }
    return broker;
  }

  public static String bootstrapServers() {
    return get().bootstrapServers();
  }

  /**
   * Creates a topic named {@code <prefix>-<n>-<random>} and returns its name; unique within the
   * shared broker's lifetime, so tests and repeated runs never see each other's records.
   */
  public static String createTopic(String prefix, int partitions) {
    String name = uniqueTopicName(prefix);
    get().createTopic(name, partitions);
    return name;
  }

  /** Creates one uniquely named topic per prefix, all with the same number of partitions. */
  public static List<String> createTopics(int partitions, String... prefixes) {
    Map<String, Integer> topics = new LinkedHashMap<>();
    for (String prefix : prefixes) {
      topics.put(uniqueTopicName(prefix), partitions);
    }
    get().createTopics(topics);
    return new ArrayList<>(topics.keySet());
  }

  /** A unique, legal topic name (letters, digits, '.', '_', '-'), without creating it. */
  public static String uniqueTopicName(String prefix) {
    String safePrefix = prefix.replaceAll("[^A-Za-z0-9._-]", "_");
    // Kafka caps topic names at 249 characters.
    safePrefix = safePrefix.substring(0, Math.min(safePrefix.length(), 200));
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    return safePrefix + "-" + TOPIC_COUNTER.incrementAndGet() + "-" + suffix;
  }
}
