package dev.nlpstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.app.NlpStreamsApp;
import dev.nlpstreams.config.NlpStreamsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The topology is a public contract (internal topic and store names decide whether an upgrade can
 * restore old state), so its description with the default configuration is committed and any
 * change must be deliberate: regenerate topology/topology.txt with
 * {@code java -jar target/nlp-streams.jar describe} (a failing run also writes the actual
 * description to target/topology-actual.txt).
 */
class TopologyDescriptionTest {

  @Test
  void matchesTheCommittedDescription() throws Exception {
    String actual = TaskEngines.none()
        .topology(NlpStreamsApp.topologySettings(NlpStreamsConfig.of(Map.of())))
        .describe().toString();
    String golden = Files.readString(Path.of("topology", "topology.txt"));
    if (!actual.strip().equals(golden.strip())) {
      Files.writeString(Path.of("target", "topology-actual.txt"), actual);
    }
    assertThat(actual.strip()).isEqualTo(golden.strip());
  }
}
