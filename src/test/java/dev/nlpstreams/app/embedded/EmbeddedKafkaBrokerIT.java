package dev.nlpstreams.app.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real KRaft broker in a child JVM: traffic, graceful and hard restarts, cleanup, failures. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedKafkaBrokerIT {

  private static final String TOPIC = "embedded-broker-it";
  private static final int PARTITIONS = 3;
  private static final int RECORDS_PER_ROUND = 30;

  @Test
  void carriesRecordsAcrossGracefulAndHardRestartsThenCleansUp() throws Exception {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build();
    Path dataDir = broker.dataDir();
    ProcessHandle lastChild;
    try {
      String bootstrap = broker.start();
      assertThat(bootstrap).isEqualTo("127.0.0.1:" + broker.port());
      lastChild = ProcessHandle.of(broker.pid().orElseThrow()).orElseThrow();

      broker.createTopics(Map.of(TOPIC, PARTITIONS));
      broker.createTopics(Map.of(TOPIC, PARTITIONS)); // idempotent
      try (Admin admin = Admin.create(broker.adminConfig())) {
        assertThat(admin.describeTopics(Set.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions())
            .hasSize(PARTITIONS);
      }

      produce(bootstrap, "before-restart");
      List<ConsumerRecord<String, String>> first = consumeAll(bootstrap, RECORDS_PER_ROUND);
      assertThat(values(first)).containsExactlyInAnyOrderElementsOf(expected("before-restart"));
      assertThat(first.stream().map(ConsumerRecord::partition).distinct())
          .as("keys spread over all partitions").hasSize(PARTITIONS);

      // Graceful restart: same address, same data, a new child process.
      assertThat(broker.restart()).isEqualTo(bootstrap);
      assertThat(lastChild.isAlive()).isFalse();
      lastChild = ProcessHandle.of(broker.pid().orElseThrow()).orElseThrow();
      produce(bootstrap, "after-restart");
      assertThat(values(consumeAll(bootstrap, 2 * RECORDS_PER_ROUND)))
          .containsExactlyInAnyOrderElementsOf(concat(expected("before-restart"), expected("after-restart")));

      // Hard restart: SIGKILL, then start on the same data (log recovery, session expiry).
      broker.kill();
      assertThat(lastChild.isAlive()).isFalse();
      assertThat(broker.isRunning()).isFalse();
      assertThat(broker.start()).isEqualTo(bootstrap);
      lastChild = ProcessHandle.of(broker.pid().orElseThrow()).orElseThrow();
      produce(bootstrap, "after-kill");
      assertThat(values(consumeAll(bootstrap, 3 * RECORDS_PER_ROUND))).containsExactlyInAnyOrderElementsOf(
          concat(expected("before-restart"), expected("after-restart"), expected("after-kill")));
    } finally {
      broker.close();
    }
    assertThat(lastChild.isAlive()).as("child process after close").isFalse();
    assertThat(broker.isRunning()).isFalse();
    assertThat(dataDir).as("temporary data dir after close").doesNotExist();
    assertThatThrownBy(broker::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void reportsATakenPortWithTheBrokerLog(@TempDir Path dir) throws Exception {
    try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
       EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
           .dataDir(dir.resolve("broker"))
           .port(squatter.getLocalPort())
           .startTimeout(Duration.ofSeconds(30))
           .build()) {
      long started = System.nanoTime();
      assertThatThrownBy(broker::start)
          .isInstanceOf(EmbeddedKafkaException.class)
          .hasMessageContaining("exited with code")
          .hasMessageContaining(broker.logFile().toString())
          .hasMessageContaining("Address already in use");
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("fails fast instead of waiting for the start timeout").isLessThan(Duration.ofSeconds(25));
      assertThat(broker.isRunning()).isFalse();
    }
  }

  @Test
  void reportsAnInvalidBrokerConfiguration(@TempDir Path dir) {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
        .dataDir(dir.resolve("broker"))
        .brokerProperty("num.io.threads", "not-a-number")
        .build()) {
      assertThatThrownBy(broker::start)
          .isInstanceOf(EmbeddedKafkaException.class)
          .hasMessageContaining("exited with code")
          .hasMessageContaining("num.io.threads");
    }
  }

  /** Orphan protection: a parent JVM killed with SIGKILL must not leave its broker running. */
  @Test
  void childExitsWhenItsParentJvmIsKilled(@TempDir Path dir) throws Exception {
    Process parent = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        ParentJvm.class.getName(), dir.resolve("broker").toString())
        .redirectErrorStream(true)
        .start();
    try {
      CompletableFuture<Long> childPid = CompletableFuture.supplyAsync(() -> readChildPid(parent));
      long pid = childPid.get(60, TimeUnit.SECONDS);
      ProcessHandle child = ProcessHandle.of(pid).orElseThrow();
      assertThat(child.isAlive()).isTrue();

      parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

      // The child sees EOF on stdin and shuts down gracefully.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      while (child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(child.isAlive()).as("broker child after its parent was killed").isFalse();
      assertThat(Files.readString(dir.resolve("broker").resolve("broker.log")))
          .contains("stdin closed by the parent process");
    } finally {
      parent.destroyForcibly();
    }
  }

  /** Runs in its own JVM for {@link #childExitsWhenItsParentJvmIsKilled}. */
  public static final class ParentJvm {
    public static void main(String[] args) throws Exception {
      EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
          .dataDir(Path.of(args[0]))
          .shutdownHook(false) // SIGKILL skips hooks anyway; make sure only stdin EOF is tested
          .build();
      broker.start();
      System.out.println("CHILD_PID=" + broker.pid().orElseThrow());
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  private static long readChildPid(Process parent) {
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
      StringBuilder seen = new StringBuilder();
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("CHILD_PID=")) {
          return Long.parseLong(line.substring("CHILD_PID=".length()).trim());
        }
        seen.append(line).append('\n');
      }
      throw new IllegalStateException("Parent JVM exited without starting a broker:\n" + seen);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void produce(String bootstrap, String round) throws Exception {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (String value : expected(round)) {
        sent.add(producer.send(new ProducerRecord<>(TOPIC, value, value)));
      }
      for (java.util.concurrent.Future<?> f : sent) {
        f.get(30, TimeUnit.SECONDS);
      }
    }
  }

  /** Reads the topic from the beginning with a fresh group until {@code count} records arrived. */
  private static List<ConsumerRecord<String, String>> consumeAll(String bootstrap, int count) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<ConsumerRecord<String, String>> received = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(TOPIC));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
      while (received.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(250)).forEach(received::add);
      }
    }
    assertThat(received).as("records read back").hasSize(count);
    return received;
  }

  private static List<String> expected(String round) {
    return IntStream.range(0, RECORDS_PER_ROUND).mapToObj(i -> round + "-" + i).collect(Collectors.toList());
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    List<String> all = new ArrayList<>();
    for (List<String> list : lists) {
      all.addAll(list);
    }
    return all;
  }

  private static List<String> values(List<ConsumerRecord<String, String>> records) {
    return records.stream().map(ConsumerRecord::value).collect(Collectors.toList());
  }
}
