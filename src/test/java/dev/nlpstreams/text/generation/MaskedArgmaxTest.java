package dev.nlpstreams.text.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Greedy search without scores takes a masked argmax over the raw float logits; it must choose the
 * very tokens of the full path (doubles, processors, argmax) for every processor that only masks.
 */
class MaskedArgmaxTest {

  private static final int VOCAB = 12;
  private static final int START = 0;
  private static final int EOS = 1;
  private static final int PAD = 2;

  /**
   * A deterministic step: each row's logits depend on its tokens so far, drawn from a few levels so
   * that ties are frequent, with some -infinity entries.
   */
  private static final class HashedStep implements StepFunction {
    private final long seed;

    HashedStep(long seed) {
      this.seed = seed;
    }

    @Override
    public float[][] next(DecoderRows rows) {
      float[][] out = new float[rows.size()][VOCAB];
      for (int r = 0; r < rows.size(); r++) {
        Random random = new Random(seed * 31 + java.util.Arrays.hashCode(rows.tokens(r)));
        for (int v = 0; v < VOCAB; v++) {
          int kind = random.nextInt(10);
          out[r][v] = kind == 0 ? Float.NEGATIVE_INFINITY : (random.nextInt(5) - 2) * 0.75f;
        }
      }
      return out;
    }
  }

  private static GenerationConfig randomConfig(Random random) {
    GenerationConfig.Builder b = GenerationConfig.builder().decoderStartTokenId(START)
        .eosTokenId(EOS).padTokenId(PAD).maxNewTokens(1 + random.nextInt(8));
    if (random.nextBoolean()) {
      b.minLength(random.nextInt(6));
    }
    if (random.nextBoolean()) {
      b.minNewTokens(random.nextInt(4));
    }
    if (random.nextBoolean()) {
      b.noRepeatNgramSize(1 + random.nextInt(3));
    }
    if (random.nextBoolean()) {
      List<List<Integer>> bad = new ArrayList<>();
      bad.add(List.of(PAD));
      bad.add(List.of(3 + random.nextInt(VOCAB - 3)));
      bad.add(List.of(3 + random.nextInt(VOCAB - 3), 3 + random.nextInt(VOCAB - 3)));
      b.badWordsIds(bad);
    }
    if (random.nextInt(4) == 0) {
      b.forcedBosTokenId(3 + random.nextInt(VOCAB - 3));
    }
    if (random.nextInt(3) == 0) {
      b.forcedEosTokenId(EOS);
    }
    if (random.nextInt(4) == 0) {
      b.renormalizeLogits(true);
    }
    if (random.nextInt(6) == 0) {
      // Rescales scores: the search must fall back to the full path for this row.
      b.repetitionPenalty(1.3);
    }
    return b.build();
  }

  @Test
  void unscoredGreedyChoosesTheTokensOfTheFullPathForRandomConfigsAndLogits() {
    Random random = new Random(7);
    int masked = 0;
    for (int trial = 0; trial < 600; trial++) {
      List<GenerationConfig> configs = new ArrayList<>();
      int items = 1 + random.nextInt(4);
      for (int i = 0; i < items; i++) {
        configs.add(randomConfig(random));
      }
      masked += (int) configs.stream()
          .filter(c -> MaskedArgmax.of(LogitsProcessorChain.forConfig(c)) != null).count();
      HashedStep step = new HashedStep(trial);
      GenerationResult full = new GreedySearch(FinishedRows.DROP,
          GreedySearch.Scores.SUM_LOG_PROBS).generate(configs, step);
      GenerationResult fast = new GreedySearch(FinishedRows.DROP, GreedySearch.Scores.NONE)
          .generate(configs, step);
      for (int i = 0; i < items; i++) {
        assertThat(fast.item(i).best().tokens()).as("trial %d item %d %s", trial, i,
            configs.get(i)).containsExactly(full.item(i).best().tokens());
        assertThat(fast.item(i).steps()).isEqualTo(full.item(i).steps());
        assertThat(fast.item(i).best().score()).isNaN();
      }
      assertThat(fast.decoderCalls()).isEqualTo(full.decoderCalls());
    }
    // Most rows took the masked path, so the comparison is about it, not the fallback.
    assertThat(masked).isGreaterThan(900);
  }

  @Test
  void forcedEosOverridesAnEarlierMinLengthBanAndABanAfterForcingEmptiesTheForcedSet() {
    GenerationConfig config = GenerationConfig.builder().decoderStartTokenId(START)
        .eosTokenId(EOS).padTokenId(PAD).maxLength(2).forcedEosTokenId(EOS).minLength(5).build();
    // min_length bans eos before forced eos runs, and forced eos wins, as in Hugging Face's order
    MaskedArgmax argmax = MaskedArgmax.of(LogitsProcessorChain.forConfig(config));
    float[] logits = new float[VOCAB];
    logits[7] = 3f;
    assertThat(argmax.next(new int[] {START}, logits, 0)).isEqualTo(EOS);

    MaskingProcessor.StepMask mask = new MaskingProcessor.StepMask();
    mask.forceOnly(new int[] {4});
    mask.ban(4);
    assertThat(mask.forced().isEmpty()).isTrue();
  }

  @Test
  void theRepetitionPenaltyNeedsTheFullPath() {
    GenerationConfig config = GenerationConfig.builder().decoderStartTokenId(START)
        .eosTokenId(EOS).repetitionPenalty(1.2).build();
    assertThat(MaskedArgmax.of(LogitsProcessorChain.forConfig(config))).isNull();
  }

  @Test
  void nanLogitsAreRefusedAsOnTheFullPath() {
    GenerationConfig config = GenerationConfig.builder().decoderStartTokenId(START)
        .eosTokenId(EOS).build();
    MaskedArgmax argmax = MaskedArgmax.of(LogitsProcessorChain.forConfig(config));
    float[] logits = new float[VOCAB];
    logits[5] = Float.NaN;
    assertThatThrownBy(() -> argmax.next(new int[] {START}, logits, 3))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("row 3");
  }
}
