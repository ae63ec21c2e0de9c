package dev.nlpstreams.text.generation;

import java.util.List;

/** Checks and arithmetic shared by both searches. */
final class SearchSupport {
  private SearchSupport() {
  }

  static float[][] call(StepFunction step, DecoderRows rows, int expectedVocab) {
    float[][] logits = step.next(rows);
    if (logits == null || logits.length != rows.size()) {
      throw new IllegalStateException("step function returned " + (logits == null ? "null" : logits.length
          + " rows") + " for " + rows.size() + " decoder rows; it must return one logit row per decoder row");
    }
    int vocab = expectedVocab < 0 ? (logits.length == 0 ? 0 : logits[0].length) : expectedVocab;
    for (int r = 0; r < logits.length; r++) {
      if (logits[r] == null || logits[r].length != vocab) {
        throw new IllegalStateException("step function returned a logit row of length "
            + (logits[r] == null ? "null" : logits[r].length) + " for row " + r + " but the vocab size is "
            + vocab + "; every row must cover the whole vocabulary");
      }
    }
    return logits;
  }

  /** Token ids in the config must index the vocabulary the step function scores. */
  static void checkIds(GenerationConfig c, int item, int vocab) {
    checkId("decoder_start_token_id", c.decoderStartTokenId(), item, vocab);
    for (int e : c.eosTokenIds()) {
      checkId("eos_token_id", e, item, vocab);
    }
    if (c.padTokenId().isPresent()) {
      checkId("pad_token_id", c.padTokenId().getAsInt(), item, vocab);
    }
    if (c.forcedBosTokenId().isPresent()) {
      checkId("forced_bos_token_id", c.forcedBosTokenId().getAsInt(), item, vocab);
    }
    for (int e : c.forcedEosTokenIds()) {
      checkId("forced_eos_token_id", e, item, vocab);
    }
    for (List<Integer> w : c.badWordsIds()) {
      for (int t : w) {
        checkId("bad_words_ids", t, item, vocab);
      }
    }
  }

  private static void checkId(String key, int id, int item, int vocab) {
    if (id >= vocab) {
      throw new InvalidGenerationConfigException(key + " " + id + " of item " + item
          + " is outside the model's vocabulary of " + vocab + " tokens; fix " + key + " for this model");
    }
  }

  /** Raw logits to doubles, refusing values no softmax can handle. */
  static double[] toDoubles(float[] logits, int row) {
    double[] d = new double[logits.length];
    for (int v = 0; v < logits.length; v++) {
      float x = logits[v];
      if (Float.isNaN(x) || x == Float.POSITIVE_INFINITY) {
        throw new IllegalStateException("step function returned " + x + " for token " + v + " in row "
            + row + "; logits must be finite or -infinity");
      }
      d[v] = x;
    }
    return d;
  }

  /** In-place log-softmax, computed in double (Hugging Face computes in float32). */
  static void logSoftmax(double[] x) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      max = Math.max(max, v);
    }
    if (max == Double.NEGATIVE_INFINITY) {
      // Every token was masked: no distribution exists; keep -infinity everywhere.
      return;
    }
    double sum = 0;
    for (double v : x) {
      sum += Math.exp(v - max);
    }
    double lse = max + Math.log(sum);
    for (int i = 0; i < x.length; i++) {
      x[i] -= lse;
    }
  }

  static int[] append(int[] tokens, int token) {
    int[] out = java.util.Arrays.copyOf(tokens, tokens.length + 1);
    out[tokens.length] = token;
    return out;
  }
}
