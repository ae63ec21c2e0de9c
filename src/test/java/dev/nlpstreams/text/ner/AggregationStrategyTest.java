package dev.nlpstreams.text.ner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AggregationStrategyTest {

  @Test
  void parsesNamesCaseInsensitivelyAndIgnoresSurroundingBlanks() {
    assertThat(AggregationStrategy.parse("none")).isEqualTo(AggregationStrategy.NONE);
    assertThat(AggregationStrategy.parse("SIMPLE")).isEqualTo(AggregationStrategy.SIMPLE);
    assertThat(AggregationStrategy.parse("First")).isEqualTo(AggregationStrategy.FIRST);
    assertThat(AggregationStrategy.parse(" average\t")).isEqualTo(AggregationStrategy.AVERAGE);
    assertThat(AggregationStrategy.parse("mAx")).isEqualTo(AggregationStrategy.MAX);
  }

  @Test
  void rejectsUnknownNamesListingTheValidOnes() {
    assertThatThrownBy(() -> AggregationStrategy.parse("mean"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'mean'")
        .hasMessageContaining("none, simple, first, average, max");
    assertThatThrownBy(() -> AggregationStrategy.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("none, simple, first, average, max");
    assertThatThrownBy(() -> AggregationStrategy.parse(""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void wireNameRoundTripsAndMatchesThePythonSpelling() {
    for (AggregationStrategy strategy : AggregationStrategy.values()) {
      assertThat(AggregationStrategy.parse(strategy.wireName())).isEqualTo(strategy);
    }
    assertThat(AggregationStrategy.AVERAGE.wireName()).isEqualTo("average");
  }

  @Test
  void onlyFirstAverageAndMaxAreWordBased() {
    assertThat(AggregationStrategy.NONE.isWordBased()).isFalse();
    assertThat(AggregationStrategy.SIMPLE.isWordBased()).isFalse();
    assertThat(AggregationStrategy.FIRST.isWordBased()).isTrue();
    assertThat(AggregationStrategy.AVERAGE.isWordBased()).isTrue();
    assertThat(AggregationStrategy.MAX.isWordBased()).isTrue();
  }
}
