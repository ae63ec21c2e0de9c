package dev.nlpstreams.app;

import java.util.List;
import java.util.Locale;

/** Medians, ranges and percentiles of repeated benchmark measurements. */
final class BenchStats {

  private BenchStats() {}

  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** The range of the rounds, as {@code "min-max s"}. */
  static String spread(List<Double> seconds) {
    double min = seconds.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = seconds.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    return String.format(Locale.ROOT, "%.2f-%.2f s", min, max);
  }

  /** Nearest-rank percentile ({@code p} in 0..1); 0 when there are no values. */
  static long percentile(List<Long> values, double p) {
    long[] sorted = values.stream().mapToLong(Long::longValue).sorted().toArray();
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
  }
}
