package dev.nlpstreams.text;

/**
 * Texts as the tokenizers can take them. A JSON producer may cut a string inside an emoji and
 * send a lone surrogate ({@code "\ud83d"}); Java keeps it, but the tokenizer binding's UTF-8
 * conversion then fails and falls back to a lossy copy in which every surrogate pair of the text
 * also turns into replacement characters, so token offsets no longer match the Java string.
 * Replacing each unpaired surrogate with U+FFFD (what a UTF-8 decoder makes of it) keeps the
 * UTF-16 length, so every offset into the text stays where it was.
 */
public final class WellFormedText {

  private WellFormedText() {}

  /** The text with each unpaired surrogate replaced by U+FFFD; the same instance when none. */
  public static String of(String text) {
    StringBuilder repaired = null;
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < length
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        if (repaired != null) {
          repaired.append(c).append(text.charAt(i + 1));
        }
        i++;
        continue;
      }
      boolean lone = Character.isSurrogate(c);
      if (lone && repaired == null) {
        repaired = new StringBuilder(length).append(text, 0, i);
      }
      if (repaired != null) {
        repaired.append(lone ? '\uFFFD' : c);
      }
    }
    return repaired == null ? text : repaired.toString();
  }
}
