package dev.nlpstreams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The accuracy command on the committed tiny models and their int8 twins (real ONNX Runtime). */
class AccuracyReportTest {

  @Test
  void reportsFp32AndInt8RowsAndWritesTheTable(@TempDir Path tmp) throws Exception {
    Path report = tmp.resolve("accuracy.md");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status = AccuracyReport.main(List.of("--ner-model", "models/tiny/ner-bert-wordpiece",
        "--ner-limit", "100", "--translation-model", "models/tiny/marian-tiny-en-de",
        "--translation-inputs", "models/reference/inputs/translation.jsonl", "--out",
        report.toString()), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(status).isZero();
    assertThat(out).contains("on 100 held-out sentences")
        .containsPattern("\\| ner-bert-wordpiece \\| fp32 \\| 2\\.7 \\| 0\\.\\d{3} \\|")
        .containsPattern("\\| ner-bert-wordpiece \\| int8 \\| 1\\.6 \\| 0\\.\\d{3} \\|")
        // int8 activations are quantized per batch tensor, so batch mates can move a row's
        // output a little: most, not necessarily all, translations equal fp32's.
        .containsPattern("\\| marian-tiny-en-de \\| 1\\.5 \\| 0\\.8 \\| (19|2[0-3])/23 \\(.*\\) \\|"
            + " (19|2[0-3])/23 \\| (9\\d\\.\\d\\d|100\\.00) \\|");
    assertThat(Files.readString(report)).isEqualTo(out);
  }

  @Test
  void withoutAModelItSaysWhatToPass() {
    assertThatThrownBy(() -> AccuracyReport.main(List.of(), System.out))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--ner-model");
  }
}
