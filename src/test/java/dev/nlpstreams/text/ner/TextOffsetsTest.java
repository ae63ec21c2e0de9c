package dev.nlpstreams.text.ner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextOffsetsTest {

  @Test
  void textWithoutSupplementaryCharactersConvertsByIdentity() {
    // "Zoë" is all BMP: ë is one UTF-16 unit and one code point.
    TextOffsets offsets = TextOffsets.of("Zoë 東京");
    assertThat(offsets.length()).isEqualTo(6);
    assertThat(offsets.codePointLength()).isEqualTo(6);
    for (int i = 0; i <= 6; i++) {
      assertThat(offsets.toCodePoint(i)).isEqualTo(i);
      assertThat(offsets.toUtf16(i)).isEqualTo(i);
    }
  }

  @Test
  void surrogatePairsCountAsOneCodePoint() {
    // UTF-16: a=0, 😀=1..2, b=3, 𠮷=4..5, c=6, end=7.
    // Code points: a=0, 😀=1, b=2, 𠮷=3, c=4, end=5.
    TextOffsets offsets = TextOffsets.of("a😀b𠮷c");
    assertThat(offsets.length()).isEqualTo(7);
    assertThat(offsets.codePointLength()).isEqualTo(5);
    int[] utf16 = {0, 1, 3, 4, 6, 7};
    int[] codePoints = {0, 1, 2, 3, 4, 5};
    for (int i = 0; i < utf16.length; i++) {
      assertThat(offsets.toCodePoint(utf16[i])).as("utf16 %d", utf16[i]).isEqualTo(codePoints[i]);
      assertThat(offsets.toUtf16(codePoints[i])).as("code point %d", codePoints[i])
          .isEqualTo(utf16[i]);
    }
  }

  @Test
  void offsetInsideASurrogatePairIsRejected() {
    TextOffsets offsets = TextOffsets.of("a😀b");
    assertThatThrownBy(() -> offsets.toCodePoint(2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("splits a surrogate pair");
  }

  @Test
  void offsetsOutsideTheTextAreRejected() {
    TextOffsets offsets = TextOffsets.of("a😀");
    assertThatThrownBy(() -> offsets.toCodePoint(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> offsets.toCodePoint(4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> offsets.toUtf16(3)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void loneSurrogatesCountAsOneCodePointLikeTheJdk() {
    String text = "a\uD800b\uDC00c";
    TextOffsets offsets = TextOffsets.of(text);
    assertThat(offsets.codePointLength()).isEqualTo(text.codePointCount(0, text.length())).isEqualTo(5);
    assertThat(offsets.toCodePoint(2)).isEqualTo(2);
    assertThat(offsets.toCodePoint(4)).isEqualTo(4);
  }

  @Test
  void agreesWithTheJdkOnEveryBoundaryOfAMixedText() {
    String text = "😀 東京 in Zoë's 𠮷野家 🇩🇪 ok";
    TextOffsets offsets = TextOffsets.of(text);
    int codePoint = 0;
    for (int i = 0; i <= text.length(); i = i < text.length() ? text.offsetByCodePoints(i, 1) : i + 1) {
      assertThat(offsets.toCodePoint(i)).isEqualTo(text.codePointCount(0, i)).isEqualTo(codePoint);
      assertThat(offsets.toUtf16(codePoint)).isEqualTo(i);
      codePoint++;
    }
    assertThat(offsets.codePointLength()).isEqualTo(codePoint - 1);
  }
}
