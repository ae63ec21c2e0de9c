package dev.nlpstreams.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example configuration shipped in topology/ stays valid. */
class ExampleConfigTest {

  @Test
  void exampleLoadsAndPassesTheCrossChecks() {
    NlpStreamsConfig config = NlpStreamsConfig.load(Path.of("topology", "example.properties"),
        Map.of(), Map.of());
    assertThat(config.isExactlyOnce()).isTrue();
    assertThat(config.bootstrapServers()).isEqualTo("kafka-1:9092,kafka-2:9092");
    assertThat(config.batchMaxRecords()).isEqualTo(64);
    assertThat(config.streamThreads()).isEqualTo(2);
  }
}
