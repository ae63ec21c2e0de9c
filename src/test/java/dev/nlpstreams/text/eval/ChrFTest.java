package dev.nlpstreams.text.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;

class ChrFTest {

  @Test
  void identicalTextsScoreHundred() {
    assertThat(ChrF.sentence("der Hund läuft.", "der Hund läuft.")).isCloseTo(100, offset(1e-9));
  }

  @Test
  void nothingInCommonScoresZero() {
    assertThat(ChrF.sentence("abc", "xyz")).isZero();
    assertThat(ChrF.sentence("", "")).isZero();
  }

  /**
   * "ab" against "abc": unigrams P 2/2, R 2/3; bigrams P 1/1, R 1/2; trigrams have none on the
   * hypothesis side (R 0 is added, the order does not count). P = (1 + 1) / 2 = 1,
   * R = (2/3 + 1/2 + 0) / 2 = 7/12; F2 = 5 P R / (4 P + R) = (35/12) / (55/12) = 7/11.
   */
  @Test
  void handComputedShortPair() {
    assertThat(ChrF.sentence("ab", "abc")).isCloseTo(100.0 * 7 / 11, offset(1e-9));
  }

  /**
   * "aab" against "ab": unigrams hyp {a:2, b:1}, ref {a:1, b:1}: matched 2 (clipped), P 2/3, R 1;
   * bigrams hyp {aa, ab}, ref {ab}: P 1/2, R 1; trigram hyp {aab}, ref none: P 0 is added, the
   * order does not count. P = (2/3 + 1/2 + 0) / 2 = 7/12, R = 1; F2 = 5 (7/12) / (4 (7/12) + 1)
   * = (35/12) / (40/12) = 7/8.
   */
  @Test
  void repeatedCharactersAreClippedByTheReference() {
    assertThat(ChrF.sentence("aab", "ab")).isCloseTo(87.5, offset(1e-9));
  }

  @Test
  void whiteSpaceIsIgnoredAndCodePointsCount() {
    assertThat(ChrF.sentence("a b", "ab")).isCloseTo(100, offset(1e-9));
    // One astral character is one unit, not two UTF-16 halves: "😀x" vs "😀y" share 1 of 2
    // unigrams and none of their bigrams; orders 1 and 2 count: P = R = (1/2 + 0) / 2 = 1/4.
    assertThat(ChrF.sentence("😀x", "😀y")).isCloseTo(25, offset(1e-9));
  }

  @Test
  void corpusStatisticsAreSummedBeforeTheScore() {
    ChrF corpus = new ChrF().add("ab", "abc").add("abc", "abc");
    // unigrams P 5/5, R 5/6; bigrams P 3/3, R 3/4; trigrams P 1/1, R 1/2 (both sides have one).
    double p = 1;
    double r = (5.0 / 6 + 3.0 / 4 + 1.0 / 2) / 3;
    assertThat(corpus.score()).isCloseTo(100 * 5 * p * r / (4 * p + r), offset(1e-9));
  }

  @Test
  void refusesSenselessSettings() {
    assertThatThrownBy(() -> new ChrF(0, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChrF(6, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
