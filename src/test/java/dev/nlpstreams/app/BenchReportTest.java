package dev.nlpstreams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {

  @Test
  void seq2seqFlopsFollowTheConfigShapeOpusMtEnDeGives104MflopPerStep(@TempDir Path dir)
      throws Exception {
    // opus-mt-en-de's shape: benchmarks.md gives about 104 MFLOP per generated token.
    Files.writeString(dir.resolve("config.json"), """
        {"d_model": 512, "encoder_layers": 6, "decoder_layers": 6, "encoder_ffn_dim": 2048,
         "decoder_ffn_dim": 2048, "vocab_size": 58101}""");
    BenchReport.Flops flops = BenchReport.Flops.seq2seq(dir);
    assertThat(flops.perRowStep() / 1e6).isCloseTo(103.5, within(0.1));
    // Encoder layer 2 x 6 x (4 x 512^2 + 2 x 512 x 2048) plus the cross K and V of 6 layers.
    assertThat(flops.perSourceToken()).isEqualTo(2.0 * (6 * (4 * 512.0 * 512 + 2 * 512.0 * 2048)
        + 6 * 2 * 512.0 * 512));
  }

  @Test
  void encoderFlopsOfBertBaseAre170MflopPerToken(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("config.json"), """
        {"hidden_size": 768, "num_hidden_layers": 12, "intermediate_size": 3072}""");
    assertThat(BenchReport.Flops.encoder(dir).perSourceToken() / 1e6).isCloseTo(169.9,
        within(0.1));
  }

  @Test
  void aTokenClassifierAddsItsHeadAndAttentionGrowsWithTheSquareOfTheSequence(@TempDir Path dir)
      throws Exception {
    Files.writeString(dir.resolve("config.json"), """
        {"hidden_size": 768, "num_hidden_layers": 12, "intermediate_size": 3072,
         "id2label": {"0": "O", "1": "B-PER", "2": "I-PER"}}""");
    BenchReport.Flops flops = BenchReport.Flops.encoder(dir);
    assertThat(flops.perSourceToken()).isEqualTo(
        2.0 * (12 * (4 * 768.0 * 768 + 2 * 768.0 * 3072) + 768 * 3));
    // Scores and the weighted sum: 2 x 2 x t x t x h per layer.
    assertThat(flops.attentionPerSequence(128)).isEqualTo(12 * 4.0 * 128 * 128 * 768);
    assertThat(flops.shape()).isEqualTo("hidden 768, 12 layers, FFN 3072, 3 labels");
  }

  @Test
  void aRateIsGivenAgainstTheGuidesPeakAndTheGemmMeasuredInTheSameRun() {
    // The session-9 report: 149 GFLOP/s of BERT-base on a day the GEMM ran at 175.
    assertThat(new BenchReport.Peaks(335, 175).fractions(149))
        .isEqualTo("44% of 335 GFLOP/s, 85% of the 175 GFLOP/s measured now");
  }
}
