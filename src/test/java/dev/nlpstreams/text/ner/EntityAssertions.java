package dev.nlpstreams.text.ner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;
import org.assertj.core.api.ListAssert;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;

/** Compares entities field by field, scores within float rounding of the hand-computed value. */
final class EntityAssertions {

  static final float SCORE_TOLERANCE = 1e-5f;

  private EntityAssertions() {}

  static ListAssert<Entity> assertEntities(List<Entity> actual) {
    Comparator<Float> closeEnough =
        (a, b) -> Math.abs(a - b) <= SCORE_TOLERANCE ? 0 : Float.compare(a, b);
    return assertThat(actual).usingRecursiveFieldByFieldElementComparator(
        RecursiveComparisonConfiguration.builder()
            .withComparatorForType(closeEnough, Float.class)
            .build());
  }

  /** An aggregated entity in a text whose UTF-16 and code-point offsets coincide. */
  static Entity group(String label, String word, double score, int start, int end) {
    return new Entity(label, word, (float) score, start, end, start, end, -1);
  }

  /** A NONE-strategy token in a text whose UTF-16 and code-point offsets coincide. */
  static Entity token(String label, String word, double score, int start, int end, int index) {
    return new Entity(label, word, (float) score, start, end, start, end, index);
  }
}
