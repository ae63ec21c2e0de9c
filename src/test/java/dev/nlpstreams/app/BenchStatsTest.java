package dev.nlpstreams.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchStatsTest {

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(BenchStats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(BenchStats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    assertThat(BenchStats.median(List.of())).isNaN();
  }

  @Test
  void spreadIsTheRangeOfTheRounds() {
    assertThat(BenchStats.spread(List.of(2.5, 1.25, 3.0))).isEqualTo("1.25-3.00 s");
  }

  @Test
  void percentileIsNearestRank() {
    List<Long> values = List.of(5L, 1L, 4L, 2L, 3L, 10L, 9L, 8L, 7L, 6L);
    assertThat(BenchStats.percentile(values, 0.5)).isEqualTo(5);
    assertThat(BenchStats.percentile(values, 0.95)).isEqualTo(10);
    assertThat(BenchStats.percentile(values, 0.0)).isEqualTo(1);
    assertThat(BenchStats.percentile(List.of(), 0.5)).isZero();
  }

  @Test
  void workloadsAreReproducibleAndKeepTheNerWorkload() {
    assertThat(BenchWorkload.sentences(50, 42)).isEqualTo(BenchWorkload.texts(50, 42, 2.5, 12));
    assertThat(BenchWorkload.articles(5, 7)).isEqualTo(BenchWorkload.articles(5, 7));
  }

  @Test
  void paddingEfficiencyOfEqualLengthsIsOne() {
    assertThat(BenchWorkload.paddingEfficiency(new int[] {8, 8, 8, 8}, 2, 32, 4096))
        .isEqualTo(1.0);
  }

  @Test
  void generationPadsOnlyWithinTheEncodersLengthBuckets() {
    int[] tokens = {5, 50, 5, 50};
    int[] oneBatch = {0, 4};
    // A run overhead this large keeps the four sources in one generation run...
    assertThat(BenchWorkload.paddingEfficiency(tokens, oneBatch, 32, 4096, 10_000))
        .isEqualTo(110.0 / 200);
    // ...whose encoder runs the short and the long ones apart.
    assertThat(BenchWorkload.encoderPaddingEfficiency(tokens, oneBatch, 32, 4096, 10_000))
        .isEqualTo(1.0);
  }
}
