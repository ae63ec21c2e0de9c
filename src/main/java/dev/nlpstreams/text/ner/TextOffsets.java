package dev.nlpstreams.text.ner;

import java.util.Arrays;

/**
 * Converts offsets in one string between UTF-16 code units (Java) and Unicode code points (Python,
 * the Hugging Face pipeline). Built once per text, each conversion is a binary search over the
 * positions of surrogate pairs, so converting every token span of a long text stays cheap; a text
 * without supplementary characters (the common case) converts by identity.
 *
 * <p>A lone surrogate counts as one code point, as in {@link String#codePointCount}.
 */
public final class TextOffsets {

  private static final int[] NONE = new int[0];

  private final int length;
  private final int codePointLength;
  /** UTF-16 index of the high surrogate of every well-formed surrogate pair, ascending. */
  private final int[] pairStarts;

  private TextOffsets(String text) {
    this.length = text.length();
    int[] found = NONE;
    int count = 0;
    for (int i = 0; i + 1 < length; i++) {
      if (Character.isHighSurrogate(text.charAt(i)) && Character.isLowSurrogate(text.charAt(i + 1))) {
        if (count == found.length) {
          found = Arrays.copyOf(found, Math.max(8, count * 2));
        }
        found[count++] = i;
        i++;
      }
    }
    this.pairStarts = count == found.length ? found : Arrays.copyOf(found, count);
    this.codePointLength = length - count;
  }

  /** Offsets over {@code text}. */
  public static TextOffsets of(String text) {
    return new TextOffsets(text);
  }

  /** Length of the text in UTF-16 code units. */
  public int length() {
    return length;
  }

  /** Length of the text in code points. */
  public int codePointLength() {
    return codePointLength;
  }

  /**
   * Code-point offset of UTF-16 offset {@code utf16} (0..length inclusive).
   *
   * @throws IllegalArgumentException when the offset is outside the text or falls between the two
   *     halves of a surrogate pair (no code-point offset exists there)
   */
  public int toCodePoint(int utf16) {
    if (utf16 < 0 || utf16 > length) {
      throw new IllegalArgumentException(
          "UTF-16 offset " + utf16 + " is outside the text [0, " + length + "]");
    }
    int pairsBefore = countBelow(utf16);
    if (pairsBefore > 0 && pairStarts[pairsBefore - 1] == utf16 - 1) {
      throw new IllegalArgumentException("UTF-16 offset " + utf16
          + " splits a surrogate pair; token offsets must fall on code point boundaries");
    }
    return utf16 - pairsBefore;
  }

  /**
   * UTF-16 offset of code-point offset {@code codePoint} (0..codePointLength inclusive).
   *
   * @throws IllegalArgumentException when the offset is outside the text
   */
  public int toUtf16(int codePoint) {
    if (codePoint < 0 || codePoint > codePointLength) {
      throw new IllegalArgumentException(
          "code point offset " + codePoint + " is outside the text [0, " + codePointLength + "]");
    }
    // Pair j sits at code point pairStarts[j] - j; those positions increase strictly with j, so the
    // number of pairs before the wanted code point is found by binary search too.
    int lo = 0;
    int hi = pairStarts.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (pairStarts[mid] - mid < codePoint) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return codePoint + lo;
  }

  /** Number of surrogate pairs whose high surrogate lies before {@code utf16}. */
  private int countBelow(int utf16) {
    int lo = 0;
    int hi = pairStarts.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (pairStarts[mid] < utf16) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
