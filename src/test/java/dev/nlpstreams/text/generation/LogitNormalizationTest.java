package dev.nlpstreams.text.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** renormalize_logits, as real Marian exports set it in generation_config.json. */
class LogitNormalizationTest {

  @Test
  void parsedFromGenerationConfigAndAppliedLast() {
    GenerationConfig config = GenerationConfig.fromLayers(List.of(Map.of(
        "renormalize_logits", true, "bad_words_ids", List.of(List.of(2)), "eos_token_id", 0,
        "decoder_start_token_id", 2, "pad_token_id", 2)));
    assertThat(config.renormalizeLogits()).isTrue();
    List<LogitsProcessor> processors = LogitsProcessorChain.forConfig(config).processors();
    assertThat(processors.get(processors.size() - 1))
        .isInstanceOf(LogitNormalizationProcessor.class);
  }

  @Test
  void absentMeansOff() {
    GenerationConfig config = GenerationConfig.fromLayers(List.of(Map.of("eos_token_id", 0,
        "decoder_start_token_id", 2)));
    assertThat(config.renormalizeLogits()).isFalse();
    assertThat(LogitsProcessorChain.forConfig(config).processors())
        .noneMatch(p -> p instanceof LogitNormalizationProcessor);
  }

  @Test
  void scoresAreLogProbabilitiesAgainAfterMasking() {
    // log-probs of 0.5, 0.25, 0.25; masking token 0 leaves 0.25 + 0.25 = 0.5 of the mass.
    double[] scores = {Math.log(0.5), Math.log(0.25), Math.log(0.25)};
    scores[0] = Double.NEGATIVE_INFINITY;
    new LogitNormalizationProcessor().process(new int[] {2}, scores);
    // Renormalised: each remaining token now has probability 0.5.
    assertThat(scores[0]).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(scores[1]).isCloseTo(Math.log(0.5), offset(1e-12));
    assertThat(scores[2]).isCloseTo(Math.log(0.5), offset(1e-12));
  }
}
