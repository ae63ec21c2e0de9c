package dev.nlpstreams.text.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LengthBucketsTest {

  @Test
  void groupsSimilarLengthsTogether() {
    // Arrival order alternates short and long; sorted, the two shorts and the two longs pair up.
    int[] lengths = {5, 100, 6, 90};
    List<int[]> plan = LengthBuckets.plan(lengths, 2, 10_000);
    assertThat(plan).hasSize(2);
    assertThat(plan.get(0)).containsExactly(0, 2);
    assertThat(plan.get(1)).containsExactly(3, 1);
    // Padded cost: 2 x 6 + 2 x 100 = 212 computed for 201 real tokens.
    assertThat(LengthBuckets.paddingEfficiency(lengths, plan)).isCloseTo(201.0 / 212, within());
  }

  @Test
  void arrivalOrderBatchingWouldPadMore() {
    int[] lengths = {5, 100, 6, 90};
    List<int[]> arrival = List.of(new int[] {0, 1}, new int[] {2, 3});
    assertThat(LengthBuckets.paddingEfficiency(lengths, LengthBuckets.plan(lengths, 2, 10_000)))
        .isGreaterThan(LengthBuckets.paddingEfficiency(lengths, arrival));
  }

  @Test
  void respectsPaddedTokenCap() {
    // 3 rows of 40 = 120 > 100, so the third item starts a new batch.
    int[] lengths = {40, 40, 40};
    List<int[]> plan = LengthBuckets.plan(lengths, 32, 100);
    // [40][40,40] and [40,40][40] cost the same; ties go to the larger last batch (the earlier
    // start), so the plan is exactly [40] then [40,40].
    assertThat(plan).extracting(b -> b.length).containsExactly(1, 2);
  }

  @Test
  void splitsOffALongOutlierInsteadOfPaddingEveryoneToIt() {
    // One batch: 5 x 100 + 32 = 532. Four shorts then the long one: 4 x 10 + 32 + 100 + 32 = 204.
    int[] lengths = {10, 10, 100, 10, 10};
    List<int[]> plan = LengthBuckets.plan(lengths, 32, 100_000, 32);
    assertThat(plan).hasSize(2);
    assertThat(plan.get(0)).containsExactly(0, 1, 3, 4);
    assertThat(plan.get(1)).containsExactly(2);
  }

  @Test
  void runOverheadDecidesBetweenFewerRunsAndLessPadding() {
    int[] lengths = {10, 10, 100};
    // No overhead: [10,10] + [100] = 120 beats [10,10,100] = 300.
    assertThat(LengthBuckets.plan(lengths, 32, 100_000, 0)).hasSize(2);
    // Overhead 1000: one run, 300 + 1000 = 1300, beats 120 + 2000.
    assertThat(LengthBuckets.plan(lengths, 32, 100_000, 1_000)).hasSize(1);
  }

  @Test
  void planIsOptimalAmongAllContiguousCutsOfTheSortedOrder() {
    Random random = new Random(11);
    for (int trial = 0; trial < 300; trial++) {
      int n = 1 + random.nextInt(9);
      int[] lengths = random.ints(n, 1, 120).toArray();
      int maxBatch = 1 + random.nextInt(5);
      int maxTokens = 100 + random.nextInt(400);
      int overhead = random.nextInt(80);
      long planned = cost(lengths, LengthBuckets.plan(lengths, maxBatch, maxTokens, overhead),
          overhead);
      assertThat(planned).as("trial %d", trial)
          .isEqualTo(bruteForceBest(lengths, maxBatch, maxTokens, overhead));
    }
  }

  private static long cost(int[] lengths, List<int[]> plan, int overhead) {
    long total = 0;
    for (int[] batch : plan) {
      total += (long) batch.length * Arrays.stream(batch).map(i -> lengths[i]).max().orElseThrow()
          + overhead;
    }
    return total;
  }

  /** Tries every way to cut the sorted lengths into consecutive groups. */
  private static long bruteForceBest(int[] lengths, int maxBatch, int maxTokens, int overhead) {
    int[] sorted = lengths.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    long best = Long.MAX_VALUE;
    for (int mask = 0; mask < 1 << (n - 1); mask++) {
      long total = 0;
      int start = 0;
      boolean valid = true;
      for (int i = 0; i < n && valid; i++) {
        boolean cutAfter = i == n - 1 || (mask & (1 << i)) != 0;
        if (cutAfter) {
          int rows = i - start + 1;
          long padded = (long) rows * sorted[i];
          valid = rows <= maxBatch && (rows == 1 || padded <= maxTokens);
          total += padded + overhead;
          start = i + 1;
        }
      }
      if (valid) {
        best = Math.min(best, total);
      }
    }
    return best;
  }

  @Test
  void itemLongerThanCapRunsAlone() {
    int[] lengths = {10, 500, 12};
    List<int[]> plan = LengthBuckets.plan(lengths, 32, 100);
    assertThat(plan).hasSize(2);
    assertThat(plan.get(0)).containsExactly(0, 2);
    assertThat(plan.get(1)).containsExactly(1);
  }

  @Test
  void everyIndexExactlyOnceAndCapsHold() {
    Random random = new Random(7);
    for (int trial = 0; trial < 200; trial++) {
      int[] lengths = random.ints(random.nextInt(80), 1, 300).toArray();
      int maxBatch = 1 + random.nextInt(16);
      int maxTokens = 300 + random.nextInt(2_000);
      List<int[]> plan = LengthBuckets.plan(lengths, maxBatch, maxTokens);
      List<Integer> seen = new ArrayList<>();
      for (int[] batch : plan) {
        assertThat(batch.length).isBetween(1, maxBatch);
        int longest = Arrays.stream(batch).map(i -> lengths[i]).max().orElseThrow();
        if (batch.length > 1) {
          assertThat((long) longest * batch.length).isLessThanOrEqualTo(maxTokens);
        }
        Arrays.stream(batch).forEach(seen::add);
      }
      assertThat(seen).containsExactlyInAnyOrderElementsOf(
          java.util.stream.IntStream.range(0, lengths.length).boxed().toList());
    }
  }

  @Test
  void emptyInputGivesNoBatches() {
    assertThat(LengthBuckets.plan(new int[0], 4, 100)).isEmpty();
  }

  @Test
  void refusesInvalidCaps() {
    assertThatThrownBy(() -> LengthBuckets.plan(new int[] {1}, 0, 10))
        .hasMessageContaining("maxBatchSize");
    assertThatThrownBy(() -> LengthBuckets.plan(new int[] {1}, 1, 0))
        .hasMessageContaining("maxPaddedTokens");
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
