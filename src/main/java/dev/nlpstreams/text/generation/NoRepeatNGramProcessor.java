package dev.nlpstreams.text.generation;

/**
 * HF {@code NoRepeatNGramLogitsProcessor}: bans every token that would complete an n-gram already
 * present in the decoder sequence (start token included), i.e. the tokens that followed earlier
 * occurrences of the last n-1 tokens.
 */
public final class NoRepeatNGramProcessor implements MaskingProcessor {
  private final int n;

  public NoRepeatNGramProcessor(int n) {
    if (n <= 0) {
      throw new InvalidGenerationConfigException("no_repeat_ngram_size must be > 0 here but was " + n);
    }
    this.n = n;
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
    int len = seq.length;
    if (len + 1 < n) {
      return;
    }
    int prefixStart = len - (n - 1);
    // Every earlier window whose first n-1 tokens equal the current suffix bans its n-th token.
    for (int i = 0; i + n <= len; i++) {
      boolean match = true;
      for (int j = 0; j < n - 1; j++) {
        if (seq[i + j] != seq[prefixStart + j]) {
          match = false;
          break;
        }
      }
      if (match) {
        ban.accept(seq[i + n - 1]);
      }
    }
  }
}
