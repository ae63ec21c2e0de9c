package dev.nlpstreams.text.ner;

import java.util.Arrays;
import java.util.List;

/**
 * Builds logit rows whose softmax is known by hand: the logits are ln(p) of a probability vector that
 * sums to 1, and softmax(ln p) = p / sum(p) = p. Probabilities not named share the remainder equally.
 */
final class LogitRows {

  private LogitRows() {}

  /** ln(p) for {@code labelThenProbability} pairs, e.g. ("B-PER", 0.5, "B-LOC", 0.4). */
  static float[] probs(List<String> labels, Object... labelThenProbability) {
    double[] p = new double[labels.size()];
    Arrays.fill(p, Double.NaN);
    double named = 0;
    for (int i = 0; i < labelThenProbability.length; i += 2) {
      int column = labels.indexOf((String) labelThenProbability[i]);
      if (column < 0) {
        throw new IllegalArgumentException("no label " + labelThenProbability[i]);
      }
      p[column] = ((Number) labelThenProbability[i + 1]).doubleValue();
      named += p[column];
    }
    long unnamed = Arrays.stream(p).filter(Double::isNaN).count();
    double share = unnamed == 0 ? 0 : (1.0 - named) / unnamed;
    float[] logits = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      double value = Double.isNaN(p[i]) ? share : p[i];
      if (value <= 0) {
        throw new IllegalArgumentException("probabilities must stay positive: " + Arrays.toString(p));
      }
      logits[i] = (float) Math.log(value);
    }
    double total = named + share * unnamed;
    if (Math.abs(total - 1.0) > 1e-9) {
      throw new IllegalArgumentException("probabilities sum to " + total);
    }
    return logits;
  }

  /** A row that strongly prefers {@code label}: what a model might say on a special token. */
  static float[] favouring(List<String> labels, String label) {
    float[] logits = new float[labels.size()];
    logits[labels.indexOf(label)] = 12f;
    return logits;
  }
}
