package dev.nlpstreams.text.generation;

import java.util.List;

/**
 * HF {@code MinLengthLogitsProcessor} and {@code MinNewTokensLengthLogitsProcessor}: eos ids get
 * -infinity while the counted length is below the minimum. {@code promptLength} is 0 for
 * {@code min_length} (which counts the decoder start token) and 1 for {@code min_new_tokens}.
 */
public final class MinLengthProcessor implements MaskingProcessor {
  private final int minLength;
  private final int promptLength;
  private final int[] eos;

  public MinLengthProcessor(int minLength, int promptLength, List<Integer> eosTokenIds) {
    this.minLength = minLength;
    this.promptLength = promptLength;
    this.eos = eosTokenIds.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public void process(int[] seq, double[] scores) {
    if (active(seq)) {
      for (int e : eos) {
        scores[e] = Double.NEGATIVE_INFINITY;
      }
    }
  }

  @Override
  public void mask(int[] seq, StepMask mask) {
    if (active(seq)) {
      for (int e : eos) {
        mask.ban(e);
      }
    }
  }

  private boolean active(int[] seq) {
    return seq.length - promptLength < minLength;
  }
}
