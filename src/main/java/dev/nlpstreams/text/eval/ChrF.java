package dev.nlpstreams.text.eval;

import java.util.HashMap;
import java.util.Map;

/**
 * Corpus-level chrF (Popović 2015) as sacreBLEU computes it by default: character n-grams of
 * orders 1 to {@code maxOrder} over the text with all white space removed (code points, not
 * UTF-16 units), matches clipped by the reference count, statistics summed over the corpus;
 * precision and recall are averaged over the orders that have n-grams on both sides, and the
 * score is their F-beta, times 100. Add sentence pairs, then read {@link #score()}.
 */
public final class ChrF {

  /** chrF's usual settings: orders 1-6, recall weighted twice (beta 2). */
  public static final int DEFAULT_ORDER = 6;
  public static final double DEFAULT_BETA = 2.0;

  private final int maxOrder;
  private final double beta;
  /** Per order (index n-1): hypothesis n-grams, reference n-grams, matched n-grams. */
  private final long[] hypothesisGrams;
  private final long[] referenceGrams;
  private final long[] matchedGrams;

  public ChrF() {
    this(DEFAULT_ORDER, DEFAULT_BETA);
  }

  public ChrF(int maxOrder, double beta) {
    if (maxOrder < 1 || !(beta > 0)) {
      throw new IllegalArgumentException("chrF needs maxOrder >= 1 and beta > 0, got " + maxOrder
          + " and " + beta);
    }
    this.maxOrder = maxOrder;
    this.beta = beta;
    this.hypothesisGrams = new long[maxOrder];
    this.referenceGrams = new long[maxOrder];
    this.matchedGrams = new long[maxOrder];
  }

  /** Adds one hypothesis and its reference to the corpus statistics. */
  public ChrF add(String hypothesis, String reference) {
    int[] hyp = withoutWhiteSpace(hypothesis);
    int[] ref = withoutWhiteSpace(reference);
    for (int n = 1; n <= maxOrder; n++) {
      Map<String, Integer> hypCounts = grams(hyp, n);
      Map<String, Integer> refCounts = grams(ref, n);
      long matched = 0;
      for (Map.Entry<String, Integer> e : hypCounts.entrySet()) {
        matched += Math.min(e.getValue(), refCounts.getOrDefault(e.getKey(), 0));
      }
      hypothesisGrams[n - 1] += Math.max(0, hyp.length - n + 1);
      referenceGrams[n - 1] += Math.max(0, ref.length - n + 1);
      matchedGrams[n - 1] += matched;
    }
    return this;
  }

  /** The score in [0, 100]; 0 when no order has n-grams on both sides. */
  public double score() {
    double precisionSum = 0;
    double recallSum = 0;
    int effectiveOrders = 0;
    for (int i = 0; i < maxOrder; i++) {
      // sacreBLEU adds every order's precision and recall (0 where a side has no n-grams) but
      // divides by the orders that have n-grams on both sides.
      precisionSum += hypothesisGrams[i] > 0 ? (double) matchedGrams[i] / hypothesisGrams[i] : 0;
      recallSum += referenceGrams[i] > 0 ? (double) matchedGrams[i] / referenceGrams[i] : 0;
      if (hypothesisGrams[i] > 0 && referenceGrams[i] > 0) {
        effectiveOrders++;
      }
    }
    if (effectiveOrders == 0) {
      return 0;
    }
    double precision = precisionSum / effectiveOrders;
    double recall = recallSum / effectiveOrders;
    if (precision + recall == 0) {
      return 0;
    }
    double b2 = beta * beta;
    return 100 * (1 + b2) * precision * recall / (b2 * precision + recall);
  }

  /** chrF of one sentence pair. */
  public static double sentence(String hypothesis, String reference) {
    return new ChrF().add(hypothesis, reference).score();
  }

  private static int[] withoutWhiteSpace(String text) {
    return text.codePoints().filter(c -> !Character.isWhitespace(c) && !Character.isSpaceChar(c))
        .toArray();
  }

  private static Map<String, Integer> grams(int[] codePoints, int n) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i + n <= codePoints.length; i++) {
      counts.merge(new String(codePoints, i, n), 1, Integer::sum);
    }
    return counts;
  }
}
