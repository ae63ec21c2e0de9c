package dev.nlpstreams.text.batch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Cuts items of different lengths into model batches that waste little padding: items are sorted by
 * length and consecutive items are grouped while the batch stays within a size cap and a padded-token
 * cap (every row of a batch is padded to its longest row, so the cost is rows x longest).
 *
 * <p>Sorting first matters: measured on this machine kind, batching mixed lengths in arrival order
 * computed 2.5x more padding than real tokens and was slower than batch size 1.
 */
public final class LengthBuckets {

  private LengthBuckets() {}

  /**
   * Plans batches over {@code lengths} (one entry per item, in tokens).
   *
   * @return batches of item indices; every index appears exactly once; within a batch, indices are
   *     ordered by length then by index, so equal inputs give equal plans.
   */
  public static List<int[]> plan(int[] lengths, int maxBatchSize, long maxPaddedTokens) {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be at least 1, was " + maxBatchSize);
    }
    if (maxPaddedTokens < 1) {
      throw new IllegalArgumentException(
          "maxPaddedTokens must be at least 1, was " + maxPaddedTokens);
    }
    Integer[] order = IntStream.range(0, lengths.length).boxed().toArray(Integer[]::new);
    java.util.Arrays.sort(order,
        Comparator.<Integer>comparingInt(i -> lengths[i]).thenComparingInt(i -> i));

    List<int[]> batches = new ArrayList<>();
    List<Integer> current = new ArrayList<>();
    for (int index : order) {
      // Sorted ascending, so the newest item is the longest and sets the padded width.
      long paddedIfAdded = (long) (current.size() + 1) * lengths[index];
      if (!current.isEmpty()
          && (current.size() >= maxBatchSize || paddedIfAdded > maxPaddedTokens)) {
        batches.add(toArray(current));
        current.clear();
      }
      // An item longer than the token cap on its own still runs, alone.
      current.add(index);
    }
    if (!current.isEmpty()) {
      batches.add(toArray(current));
    }
    return batches;
  }

  /** Real tokens divided by computed (padded) tokens for a plan; 1.0 means no padding at all. */
  public static double paddingEfficiency(int[] lengths, List<int[]> plan) {
    long real = 0;
    long computed = 0;
    for (int[] batch : plan) {
      int longest = 0;
      for (int i : batch) {
        real += lengths[i];
        longest = Math.max(longest, lengths[i]);
      }
      computed += (long) longest * batch.length;
    }
    return computed == 0 ? 1.0 : (double) real / computed;
  }

  private static int[] toArray(List<Integer> list) {
    return list.stream().mapToInt(Integer::intValue).toArray();
  }
}
