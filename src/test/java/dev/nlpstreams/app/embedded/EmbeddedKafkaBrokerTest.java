package dev.nlpstreams.app.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What can be checked without starting a child JVM. */
class EmbeddedKafkaBrokerTest {

  @Test
  void configuresASingleNodeKraftClusterOnLoopbackWithCallerOverrides() {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
        .numPartitions(3)
        .brokerProperty("auto.create.topics.enable", "true")
        .brokerProperty("log.retention.ms", "60000")
        .build()) {
      Map<String, String> p = broker.brokerProperties();
      assertThat(p).containsEntry("process.roles", "broker,controller")
          .containsEntry("node.id", "1")
          .containsEntry("controller.quorum.voters", "1@127.0.0.1:" + broker.controllerPort())
          .containsEntry("listeners", "PLAINTEXT://127.0.0.1:" + broker.port()
              + ",CONTROLLER://127.0.0.1:" + broker.controllerPort())
          .containsEntry("offsets.topic.replication.factor", "1")
          .containsEntry("transaction.state.log.replication.factor", "1")
          .containsEntry("transaction.state.log.min.isr", "1")
          .containsEntry("group.initial.rebalance.delay.ms", "0")
          .containsEntry("num.partitions", "3")
          .containsEntry("auto.create.topics.enable", "true")
          .containsEntry("log.retention.ms", "60000");
      assertThat(broker.port()).isNotEqualTo(broker.controllerPort()).isPositive();
      assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.port());
      assertThat(broker.isRunning()).isFalse();
      assertThat(broker.pid()).isEmpty();
    }
  }

  @Test
  void deletesOnlyTheDirectoriesItCreatedUnlessToldOtherwise(@TempDir Path dir) {
    EmbeddedKafkaBroker temp = EmbeddedKafkaBroker.builder().build();
    assertThat(temp.dataDir()).isDirectory();
    temp.close();
    assertThat(temp.dataDir()).doesNotExist();

    EmbeddedKafkaBroker kept = EmbeddedKafkaBroker.builder().dataDir(dir.resolve("given")).build();
    kept.close();
    assertThat(dir.resolve("given")).isDirectory();

    EmbeddedKafkaBroker keptTemp = EmbeddedKafkaBroker.builder().keepDataDir(true).build();
    keptTemp.close();
    assertThat(keptTemp.dataDir()).isDirectory();
    keptTemp.dataDir().toFile().delete();
  }

  @Test
  void rejectsBadOptions() {
    assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().heap("lots")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().port(70000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().numPartitions(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().startTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void picksErrorsOutOfALongShutdownLog(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("broker.log");
    Files.write(log, List.of(
        "=== old run",
        "[2024-01-01 00:00:00,000] ERROR from a previous run (x)",
        "=== new run",
        "[2024-01-01 00:00:01,000] INFO starting (x)",
        "[2024-01-01 00:00:02,000] ERROR Unable to start acceptor for PLAINTEXT (y)",
        "org.apache.kafka.common.KafkaException: Socket server failed to bind: Address already in use.",
        "\tat some.Frame(Frame.java:1)",
        "Caused by: java.net.BindException: Address already in use",
        "[2024-01-01 00:00:03,000] INFO shutting down (x)"));
    long offset = Files.readString(log).indexOf("=== new run");

    List<String> sinceLaunch = EmbeddedKafkaBroker.readLines(log, offset, 1 << 20);
    assertThat(sinceLaunch).first().isEqualTo("=== new run");
    assertThat(EmbeddedKafkaBroker.errorLines(sinceLaunch)).containsExactly(
        "[2024-01-01 00:00:02,000] ERROR Unable to start acceptor for PLAINTEXT (y)",
        "org.apache.kafka.common.KafkaException: Socket server failed to bind: Address already in use.",
        "Caused by: java.net.BindException: Address already in use");
    assertThat(EmbeddedKafkaBroker.readLines(log, 0, 20)).hasSizeLessThan(3);
  }
}
