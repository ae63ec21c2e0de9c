package dev.nlpstreams.text.translation;

import java.util.Locale;

/** Normalises the language codes events carry: BCP-47 tags and locale names to their language. */
public final class LanguageCodes {

  private LanguageCodes() {}

  /**
   * The primary language subtag in lower case: {@code "en-US"}, {@code "en_us"}, {@code " EN "} ->
   * {@code "en"}. Null or blank gives null.
   */
  public static String normalize(String code) {
    if (code == null || code.isBlank()) {
      return null;
    }
    String trimmed = code.strip().toLowerCase(Locale.ROOT);
    int cut = 0;
    while (cut < trimmed.length() && trimmed.charAt(cut) != '-' && trimmed.charAt(cut) != '_') {
      cut++;
    }
    return cut == 0 ? trimmed : trimmed.substring(0, cut);
  }
}
