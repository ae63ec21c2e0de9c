package dev.nlpstreams.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WellFormedTextTest {

  @Test
  void wellFormedTextIsReturnedAsItIs() {
    String text = "Zoë 😀 flew to 東京";
    assertThat(WellFormedText.of(text)).isSameAs(text);
    assertThat(WellFormedText.of("")).isEmpty();
  }

  @Test
  void eachLoneSurrogateBecomesOneReplacementCharacterAndPairsStay() {
    assertThat(WellFormedText.of("Merkel \ud83d in Berlin 😀"))
        .isEqualTo("Merkel \uFFFD in Berlin 😀");
    // A low surrogate first, a high one last, two highs in a row.
    assertThat(WellFormedText.of("\ude00a\ud83d\ud83d😀\ud83d"))
        .isEqualTo("\uFFFDa\uFFFD\uFFFD😀\uFFFD");
  }

  @Test
  void lengthsAndSoOffsetsAreKept() {
    String text = "\ud83d Tim 😀 \ude00 Cook";
    assertThat(WellFormedText.of(text)).hasSameSizeAs(text);
    assertThat(WellFormedText.of(text).indexOf("Cook")).isEqualTo(text.indexOf("Cook"));
  }
}
