package dev.nlpstreams.text.generation;

import java.util.List;

/**
 * Greedy search's next token when no score is wanted and every processor of the row only masks:
 * the first index of the maximum of the processed scores, found in one pass over the raw float
 * logits. It gives exactly the token of the full path (logits widened to double, processors
 * applied, first-index argmax): widening a float to double keeps every order and tie, a banned
 * token is -infinity there, and forced tokens all score 0 with everything else -infinity.
 */
final class MaskedArgmax {
  private final List<MaskingProcessor> processors;
  private final MaskingProcessor.StepMask mask = new MaskingProcessor.StepMask();

  private MaskedArgmax(List<MaskingProcessor> processors) {
    this.processors = processors;
  }

  /**
   * The mask-only form of {@code chain}, or null when one of its processors rescales scores
   * (repetition penalty) and the full path is needed.
   */
  static MaskedArgmax of(LogitsProcessorChain chain) {
    List<MaskingProcessor> masking = new java.util.ArrayList<>();
    for (LogitsProcessor processor : chain.processors()) {
      if (processor instanceof LogitNormalizationProcessor) {
        // A log-softmax keeps the argmax; only scores would change, and none are kept here.
        continue;
      }
      if (!(processor instanceof MaskingProcessor m)) {
        return null;
      }
      masking.add(m);
    }
    return new MaskedArgmax(List.copyOf(masking));
  }

  /** The next token of a row whose tokens so far are {@code decoderTokens}. */
  int next(int[] decoderTokens, float[] logits, int row) {
    mask.clear();
    for (MaskingProcessor processor : processors) {
      processor.mask(decoderTokens, mask);
    }
    int best = -1;
    float bestValue = Float.NEGATIVE_INFINITY;
    for (int v = 0; v < logits.length; v++) {
      float x = logits[v];
      if (Float.isNaN(x) || x == Float.POSITIVE_INFINITY) {
        // The same refusal as the full path, which checks every logit too.
        SearchSupport.toDoubles(logits, row);
      }
      if (x > bestValue && !mask.isBanned(v)) {
        best = v;
        bestValue = x;
      }
    }
    java.util.BitSet forced = mask.forced();
    if (forced != null) {
      // Forced tokens all score 0 and the rest -infinity: the first forced one wins.
      int first = forced.nextSetBit(0);
      return first < 0 || first >= logits.length ? 0 : first;
    }
    // Nothing above -infinity (all masked): index 0, as torch.argmax gives.
    return best < 0 ? 0 : best;
  }
}
