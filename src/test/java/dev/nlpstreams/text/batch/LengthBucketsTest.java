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
    assertThat(plan).extracting(b -> b.length).containsExactly(2, 1);
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
