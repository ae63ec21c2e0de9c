package dev.nlpstreams.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bench ops on the tiny BERT: ONNX Runtime's real trace is read and reported. */
class OperatorProfileBenchmarkTest {

  @TempDir
  Path reports;

  @Test
  void profilesARealRunByOperatorAndWritesTheReport() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exit;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      exit = OperatorProfileBenchmark.main(List.of("--model", "models/tiny/ner-bert-wordpiece",
          "--batch", "2", "--tokens", "16", "--runs", "2", "--report-dir", reports.toString()));
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);

    assertThat(exit).as(out).isZero();
    assertThat(out).contains("batch 2 x 16 tokens, 2 runs after 1 warm-up", "| MatMul |",
        "Matrix products (");
    try (Stream<Path> files = Files.list(reports)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.startsWith("ops-") && name.endsWith(".md"))
          .anyMatch(name -> name.startsWith("ops-") && name.endsWith(".json"));
    }
  }
}
