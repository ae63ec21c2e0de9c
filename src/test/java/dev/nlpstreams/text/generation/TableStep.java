package dev.nlpstreams.text.generation;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Toy decoder: logits looked up by the generated prefix (tokens after the start token, as names
 * "A B"), optionally per item ("1|A B"). Rows given as probabilities become logits ln(p), so
 * log-softmax gives back ln(p) and the hand arithmetic in the tests is in plain ln(p).
 */
final class TableStep implements StepFunction {
  private final Map<String, float[]> table = new HashMap<>();
  private float[] fallback;

  /** Adds a row of probabilities over the toy vocabulary, by token: e.g. probs(A, 0.6, EOS, 0.4). */
  TableStep probs(String prefix, Object... tokenProbPairs) {
    double[] p = new double[Toks.VOCAB];
    for (int i = 0; i < tokenProbPairs.length; i += 2) {
      p[(Integer) tokenProbPairs[i]] = ((Number) tokenProbPairs[i + 1]).doubleValue();
    }
    float[] logits = new float[Toks.VOCAB];
    for (int v = 0; v < logits.length; v++) {
      logits[v] = p[v] == 0 ? Float.NEGATIVE_INFINITY : (float) Math.log(p[v]);
    }
    put(prefix, logits);
    return this;
  }

  /** Adds a row of raw logits by token; unlisted tokens get {@code rest}. */
  TableStep logits(String prefix, double rest, Object... tokenLogitPairs) {
    float[] logits = new float[Toks.VOCAB];
    Arrays.fill(logits, (float) rest);
    for (int i = 0; i < tokenLogitPairs.length; i += 2) {
      logits[(Integer) tokenLogitPairs[i]] = ((Number) tokenLogitPairs[i + 1]).floatValue();
    }
    put(prefix, logits);
    return this;
  }

  /** Row used for prefixes not in the table; without one, an unknown prefix fails the test. */
  TableStep fallbackProbs(Object... tokenProbPairs) {
    probs("#fallback", tokenProbPairs);
    fallback = table.remove("#fallback");
    return this;
  }

  private void put(String prefix, float[] logits) {
    table.put(prefix.trim(), logits);
  }

  static String name(int token) {
    return switch (token) {
      case Toks.PAD -> "PAD";
      case Toks.EOS -> "EOS";
      case Toks.START -> "START";
      case Toks.A -> "A";
      case Toks.B -> "B";
      case Toks.C -> "C";
      default -> String.valueOf(token);
    };
  }

  static String prefix(int[] decoderTokens) {
    return Arrays.stream(decoderTokens, 1, decoderTokens.length).mapToObj(TableStep::name)
        .collect(Collectors.joining(" "));
  }

  @Override
  public float[][] next(DecoderRows rows) {
    float[][] out = new float[rows.size()][];
    for (int r = 0; r < rows.size(); r++) {
      String key = prefix(rows.tokens(r));
      float[] row = table.get(rows.item(r) + "|" + key);
      if (row == null) {
        row = table.get(key);
      }
      if (row == null) {
        row = fallback;
      }
      if (row == null) {
        throw new AssertionError("the test table has no row for prefix '" + key + "' of item " + rows.item(r));
      }
      out[r] = row.clone();
    }
    return out;
  }
}
