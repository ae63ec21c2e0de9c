package dev.nlpstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.text.batch.FlushPolicy;
import dev.nlpstreams.text.ner.AggregationStrategy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The topology is a public contract (internal topic and store names decide whether an upgrade can
 * restore old state), so its description is committed and any change must be deliberate: regenerate
 * topology/topology.txt with {@code java -jar target/nlp-streams.jar describe}.
 */
class TopologyDescriptionTest {

  @Test
  void matchesTheCommittedDescription() throws Exception {
    String actual = NlpTopology.build(new NlpTopology.Settings("nlp-streams",
            new Topics("text-events", "entities", "nlp-dead-letters"), 100_000,
            AggregationStrategy.SIMPLE, new FlushPolicy(32, 8192, 100), 900_000),
        new FakeRecognizer())
        .describe().toString();
    String golden = Files.readString(Path.of("topology", "topology.txt"));
    assertThat(actual.strip()).isEqualTo(golden.strip());
  }
}
