package dev.nlpstreams.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration reference is the generated one, so docs and code never drift. */
class ConfigReferenceTest {

  @Test
  void readmeHoldsTheGeneratedReference() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    assertThat(readme).as("README.md configuration reference; regenerate it with"
        + " `java -jar target/nlp-streams.jar config`")
        .contains(NlpStreamsConfig.markdownReference());
  }
}
