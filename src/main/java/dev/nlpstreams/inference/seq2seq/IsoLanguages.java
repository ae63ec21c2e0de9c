package dev.nlpstreams.inference.seq2seq;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * ISO 639-3 (and 639-2/T) codes to ISO 639-1, for the three-letter codes of NLLB language tokens
 * ({@code deu_Latn} -> {@code de}). Built from the JDK's locale data plus the individual languages
 * NLLB uses where ISO 639-1 only has the macrolanguage ({@code arb} Modern Standard Arabic ->
 * {@code ar}).
 */
final class IsoLanguages {

  private static final Map<String, String> ALPHA3_TO_ALPHA2 = build();

  private IsoLanguages() {}

  /** The two-letter code for a three-letter one, or null when ISO 639-1 has none. */
  static String toAlpha2(String alpha3) {
    return alpha3 == null ? null : ALPHA3_TO_ALPHA2.get(alpha3.toLowerCase(Locale.ROOT));
  }

  private static Map<String, String> build() {
    Map<String, String> map = new HashMap<>();
    for (String alpha2 : Locale.getISOLanguages()) {
      String current = modern(alpha2);
      try {
        map.put(Locale.forLanguageTag(current).getISO3Language(), current);
      } catch (java.util.MissingResourceException e) {
        // A code without a three-letter form cannot be reached from NLLB tokens anyway.
      }
    }
    // Individual languages NLLB names where ISO 639-1 has only the macrolanguage.
    String[][] individual = {
        {"arb", "ar"}, {"pes", "fa"}, {"swh", "sw"}, {"lvs", "lv"}, {"uzn", "uz"}, {"zsm", "ms"},
        {"ory", "or"}, {"khk", "mn"}, {"plt", "mg"}, {"npi", "ne"}, {"gaz", "om"}, {"azj", "az"},
        {"ydd", "yi"}, {"quy", "qu"}, {"als", "sq"}, {"pbt", "ps"}, {"kmr", "ku"}, {"ekk", "et"},
        {"knc", "kr"}, {"cmn", "zh"}};
    for (String[] pair : individual) {
      map.putIfAbsent(pair[0], pair[1]);
    }
    return Map.copyOf(map);
  }

  /** The JDK still reports a few withdrawn two-letter codes. */
  private static String modern(String alpha2) {
    return switch (alpha2) {
      case "iw" -> "he";
      case "in" -> "id";
      case "ji" -> "yi";
      default -> alpha2;
    };
  }
}
