package dev.nlpstreams.inference.seq2seq;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.text.batch.LengthBuckets;
import dev.nlpstreams.text.generation.GenerationConfig;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Generation runs pay a fixed cost per decoder step, so the planner keeps their batches large. */
class GenerationRunPlanTest {

  private static GenerationConfig maxNewTokens(int tokens) {
    return GenerationConfig.fromLayers(List.of(Map.of("max_new_tokens", tokens,
        "decoder_start_token_id", 0, "eos_token_id", 1)));
  }

  @Test
  void theOverheadGrowsWithTheStepsARunMayTakeUpToACap() {
    int short32 = OnnxTextGenerator.runOverheadTokens(maxNewTokens(32));
    int long500 = OnnxTextGenerator.runOverheadTokens(maxNewTokens(500));
    assertThat(short32).isEqualTo(OnnxTextGenerator.STEP_OVERHEAD_TOKENS
        * maxNewTokens(32).maxLength());
    assertThat(long500).isEqualTo(OnnxTextGenerator.STEP_OVERHEAD_TOKENS
        * OnnxTextGenerator.MAX_PLANNED_STEPS);
  }

  @Test
  void thirtyTwoSentencesOfMixedLengthRunAsOneBatchNotManySmallOnes() {
    Random random = new Random(5);
    int[] lengths = new int[32];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = 8 + random.nextInt(48); // 8-55 tokens, like the bench sentences
    }
    List<int[]> encoderPlan = LengthBuckets.plan(lengths, 32, 4096);
    List<int[]> generationPlan = LengthBuckets.plan(lengths, 32, 4096,
        OnnxTextGenerator.runOverheadTokens(maxNewTokens(32)));
    assertThat(encoderPlan.size()).isGreaterThan(2);
    assertThat(generationPlan).hasSize(1);
  }
}
