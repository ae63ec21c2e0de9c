package dev.nlpstreams.text.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SentencePoolerTest {

  /** Three tokens of width 2, then one padding position holding values that must never count. */
  private static final float[] VECTORS = {
      1, 10,
      3, -2,
      5, 4,
      100, 100};
  private static final long[] MASK = {1, 1, 1, 0};

  private static float[] pool(boolean normalize, PoolingMode... modes) {
    return new SentencePooler(new PoolingConfig(2, List.of(modes)), normalize).pool(VECTORS, MASK);
  }

  @Test
  void meanAveragesTheTokensTheMaskKeeps() {
    assertThat(pool(false, PoolingMode.MEAN)).containsExactly(3f, 4f);
  }

  @Test
  void clsTakesTheFirstToken() {
    assertThat(pool(false, PoolingMode.CLS)).containsExactly(1f, 10f);
  }

  @Test
  void maxTakesTheLargestKeptValuePerDimension() {
    assertThat(pool(false, PoolingMode.MAX)).containsExactly(5f, 10f);
  }

  @Test
  void meanSqrtLenDividesTheSumByTheRootOfTheCount() {
    double root3 = Math.sqrt(3);
    assertThat(pool(false, PoolingMode.MEAN_SQRT_LEN))
        .containsExactly((float) (9 / root3), (float) (12 / root3));
  }

  @Test
  void severalModesAreConcatenatedClsMaxMean() {
    assertThat(pool(false, PoolingMode.MEAN, PoolingMode.MAX, PoolingMode.CLS))
        .containsExactly(1f, 10f, 5f, 10f, 3f, 4f);
  }

  @Test
  void paddingDoesNotChangeTheVector() {
    SentencePooler pooler = new SentencePooler(PoolingConfig.mean(2), true);
    float[] alone = pooler.pool(new float[] {1, 10, 3, -2, 5, 4}, new long[] {1, 1, 1});
    assertThat(pooler.pool(VECTORS, MASK)).containsExactly(alone);
  }

  @Test
  void maxOverAllNegativeTokensIgnoresPadding() {
    SentencePooler pooler = new SentencePooler(new PoolingConfig(1, List.of(PoolingMode.MAX)),
        false);
    // Sentence-Transformers sets padding to -1e9 before the max, so a padded 0 never wins.
    assertThat(pooler.pool(new float[] {-3, -1, 0}, new long[] {1, 1, 0})).containsExactly(-1f);
  }

  @Test
  void normalisationGivesUnitLength() {
    float[] unit = pool(true, PoolingMode.MEAN);
    assertThat(unit[0]).isCloseTo(0.6f, within(1e-7f));
    assertThat(unit[1]).isCloseTo(0.8f, within(1e-7f));
  }

  @Test
  void aZeroVectorStaysZeroInsteadOfBecomingNaN() {
    assertThat(SentencePooler.l2Normalized(new float[] {0, 0, 0})).containsExactly(0f, 0f, 0f);
  }

  @Test
  void refusesTokenVectorsOfTheWrongShape() {
    SentencePooler pooler = new SentencePooler(PoolingConfig.mean(2), false);
    assertThatThrownBy(() -> pooler.pool(new float[5], new long[] {1, 1, 1}))
        .hasMessageContaining("3 x 2 = 6");
    assertThatThrownBy(() -> pooler.pool(new float[0], new long[0]))
        .hasMessageContaining("at least one token");
    assertThat(pooler.dimension()).isEqualTo(2);
    assertThat(pooler.normalizes()).isFalse();
  }
}
