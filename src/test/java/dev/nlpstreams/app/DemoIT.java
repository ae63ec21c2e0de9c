package dev.nlpstreams.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.config.NlpStreamsConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's demo: its own embedded broker, the bundled model, recognisable entities. */
class DemoIT {

  @Test
  void demoTagsTheSampleSentencesAndDeadLettersTheCorruptOne() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exit;
    try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      exit = Demo.run(NlpStreamsConfig.of(Map.of()), out, Duration.ofMinutes(2));
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(output).isZero();
    assertThat(output).contains("PER   \"Angela Merkel\"", "LOC   \"Berlin\"",
        "ORG   \"Deutsche Bank\"", "reason MALFORMED_PAYLOAD",
        "Done: 5 of 5 events tagged, 1 dead letter(s).");
  }
}
