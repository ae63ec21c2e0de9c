package dev.nlpstreams.text.generation;

import java.util.Arrays;

/**
 * HF {@code RepetitionPenaltyLogitsProcessor}: every token already in the decoder sequence (start
 * token included; encoder ids are not looked at) has a negative score multiplied and a non-negative
 * score divided by the penalty, once per distinct token.
 */
public final class RepetitionPenaltyProcessor implements LogitsProcessor {
  private final double penalty;

  public RepetitionPenaltyProcessor(double penalty) {
    if (!(penalty > 0)) {
      throw new InvalidGenerationConfigException("repetition_penalty must be > 0 but was " + penalty);
    }
    this.penalty = penalty;
  }

  @Override
  public void process(int[] decoderTokens, double[] scores) {
    int[] distinct = Arrays.stream(decoderTokens).distinct().toArray();
    for (int t : distinct) {
      double s = scores[t];
      scores[t] = s < 0 ? s * penalty : s / penalty;
    }
  }
}
