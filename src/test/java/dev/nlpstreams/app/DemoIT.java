package dev.nlpstreams.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.config.NlpStreamsConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's demo: its own embedded broker, the bundled models, recognisable entities,
 * translations routed to the right model, a summary, and the dead letters it promises.
 */
class DemoIT {

  @Test
  void demoRunsEveryTaskAndDeadLettersWhatItCannotDo() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exit;
    try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      exit = Demo.run(NlpStreamsConfig.of(Map.of()), out, Duration.ofMinutes(2));
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(output).isZero();
    assertThat(output).contains("PER   \"Angela Merkel\"", "LOC   \"Berlin\"",
        "ORG   \"Deutsche Bank\"", "reason MALFORMED_PAYLOAD",
        "-> de: die Frau jung kauft einen Regenschirm rot.",
        "model m2m-tiny-multilingual, source en, 1 chunk(s), greedy",
        "source en (detected)",
        "-> de: der König malt eine Sonnenblume. die Königin liest einen Brief.",
        "reason UNSUPPORTED_LANGUAGE",
        "-> summary: A young woman buys your dangerous umbrella again.",
        "Done: 10 of 10 results, 2 of 2 dead letter(s).");
  }
}
