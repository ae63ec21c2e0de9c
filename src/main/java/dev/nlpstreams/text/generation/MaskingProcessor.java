package dev.nlpstreams.text.generation;

/**
 * A logits processor that only bans tokens (sets them to -infinity) or forces a set of tokens
 * (everything else -infinity, the forced ones 0), never rescales a score. Greedy search without
 * scores needs only the argmax, so it can apply such processors as a mask over the raw float
 * logits instead of copying the whole vocabulary to doubles and rewriting it ({@link
 * MaskedArgmax}).
 */
interface MaskingProcessor extends LogitsProcessor {

  /** Records into {@code mask} what {@link #process} would do to the row's scores. */
  void mask(int[] decoderTokens, StepMask mask);

  /** What the masking processors of one row do at one step, in chain order. */
  final class StepMask {
    private final java.util.BitSet banned = new java.util.BitSet();
    /** Non-null once a processor forced tokens: only these may be chosen (all scored 0). */
    private java.util.BitSet forced;

    void ban(int token) {
      if (forced != null) {
        forced.clear(token);
      } else {
        banned.set(token);
      }
    }

    /** Every score becomes -infinity except {@code tokens}, which become 0. */
    void forceOnly(int[] tokens) {
      forced = new java.util.BitSet();
      for (int token : tokens) {
        forced.set(token);
      }
      banned.clear();
    }

    void clear() {
      banned.clear();
      forced = null;
    }

    boolean isBanned(int token) {
      return banned.get(token);
    }

    /** The tokens that are allowed (all at score 0), or null when no processor forced any. */
    java.util.BitSet forced() {
      return forced;
    }
  }
}
