package dev.nlpstreams.text.generation;

import java.util.Arrays;
import java.util.List;

/**
 * HF {@code ForcedBOSTokenLogitsProcessor} / {@code ForcedEOSTokenLogitsProcessor}: at one decoder
 * length every score becomes -infinity except the forced ids, which become 0.
 */
public final class ForcedTokenProcessor implements MaskingProcessor {
  private final int atLength;
  private final int[] forced;

  private ForcedTokenProcessor(int atLength, int[] forced) {
    this.atLength = atLength;
    this.forced = forced;
  }

  /** Forces {@code bos} as the first generated token (decoder length 1 = only the start token). */
  public static ForcedTokenProcessor firstToken(int bos) {
    return new ForcedTokenProcessor(1, new int[] {bos});
  }

  /** Forces one of {@code eos} as the token that brings the sequence to {@code maxLength}. */
  public static ForcedTokenProcessor lastToken(int maxLength, List<Integer> eos) {
    return new ForcedTokenProcessor(maxLength - 1, eos.stream().mapToInt(Integer::intValue).toArray());
  }

  @Override
  public void process(int[] seq, double[] scores) {
    if (seq.length == atLength) {
      Arrays.fill(scores, Double.NEGATIVE_INFINITY);
      for (int f : forced) {
        scores[f] = 0.0;
      }
    }
  }

  @Override
  public void mask(int[] seq, StepMask mask) {
    if (seq.length == atLength) {
      mask.forceOnly(forced);
    }
  }
}
