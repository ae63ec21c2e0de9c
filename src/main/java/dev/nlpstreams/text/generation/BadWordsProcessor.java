package dev.nlpstreams.text.generation;

import java.util.ArrayList;
import java.util.List;

/**
 * HF {@code NoBadWordsLogitsProcessor}: a single-token bad word is always banned; a longer one bans
 * its last token when the sequence ends with the rest. Like Hugging Face, a bad word that is exactly
 * one eos token is dropped so that it cannot stop sequences from ending.
 */
public final class BadWordsProcessor implements MaskingProcessor {
  private final List<int[]> words = new ArrayList<>();

  public BadWordsProcessor(List<List<Integer>> badWordsIds, List<Integer> eosTokenIds) {
    for (List<Integer> w : badWordsIds) {
      if (w.size() == 1 && eosTokenIds.contains(w.get(0))) {
        continue;
      }
      words.add(w.stream().mapToInt(Integer::intValue).toArray());
    }
  }

  @Override
  public void process(int[] seq, double[] scores) {
    forEachBanned(seq, token -> scores[token] = Double.NEGATIVE_INFINITY);
  }

  @Override
  public void mask(int[] seq, StepMask mask) {
    forEachBanned(seq, mask::ban);
  }

  private void forEachBanned(int[] seq, java.util.function.IntConsumer ban) {
    for (int[] w : words) {
      int prefix = w.length - 1;
      if (prefix > seq.length) {
        continue;
      }
      boolean match = true;
      for (int j = 0; j < prefix; j++) {
        if (seq[seq.length - prefix + j] != w[j]) {
          match = false;
          break;
        }
      }
      if (match) {
        ban.accept(w[prefix]);
      }
    }
  }
}
