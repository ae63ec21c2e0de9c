package dev.nlpstreams.inference.seq2seq;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The language tokens of a multilingual model, found among its special tokens by their shape (the
 * shapes transformers.js recognises): M2M-100 {@code __de__}, mBART-50 {@code de_DE}, NLLB
 * {@code deu_Latn}. Each token gets a public code, lower-case ISO 639-1 where the token maps to one
 * and the model's own code otherwise, and requests may name a language by that code, the model's
 * own code or the token itself, in any case.
 *
 * <p>When several tokens map to one ISO code (NLLB's {@code zho_Hans} and {@code zho_Hant}), the
 * code goes to the first token in alphabetical order and the others keep their own codes, so every
 * token stays reachable and the choice does not depend on file order.
 */
final class LanguageTokens {

  /** How a family writes its language tokens. */
  enum Style {
    /** M2M-100: {@code __de__}; HF's own code is the inner part ({@code src_lang="de"}). */
    M2M(Pattern.compile("__([a-z]{2,3})__")),
    /** mBART-50: {@code de_DE}, {@code en_XX}; the language is the first part. */
    MBART(Pattern.compile("([a-z]{2})_[A-Z]{2}")),
    /** NLLB: {@code deu_Latn}, an ISO 639-3 language and an ISO 15924 script. */
    NLLB(Pattern.compile("([a-z]{3})_[A-Z][a-z]{3}"));

    private final Pattern pattern;

    Style(Pattern pattern) {
      this.pattern = pattern;
    }

    boolean matches(String token) {
      return pattern.matcher(token).matches();
    }

    /** The code Hugging Face tokenizers take as {@code src_lang} / {@code tgt_lang}. */
    String ownCode(String token) {
      Matcher m = pattern.matcher(token);
      if (!m.matches()) {
        throw new IllegalArgumentException(token + " is not a " + this + " language token");
      }
      return this == M2M ? m.group(1) : token;
    }

    /** The ISO 639-1 code the token stands for, or null. */
    String isoCode(String token) {
      Matcher m = pattern.matcher(token);
      if (!m.matches()) {
        return null;
      }
      String language = m.group(1);
      return language.length() == 2 ? language : IsoLanguages.toAlpha2(language);
    }
  }

  private final Style style;
  /** Token -> public code, in the order the tokens were given. */
  private final Map<String, String> codeByToken;
  /** Lower-cased public code, own code and token -> token. */
  private final Map<String, String> tokenByName;

  private LanguageTokens(Style style, List<String> tokens) {
    this.style = style;
    Map<String, List<String>> byIso = new TreeMap<>();
    for (String token : tokens) {
      String iso = style.isoCode(token);
      if (iso != null) {
        byIso.computeIfAbsent(iso, k -> new ArrayList<>()).add(token);
      }
    }
    Map<String, String> isoOwner = new HashMap<>();
    byIso.forEach((iso, owners) -> isoOwner.put(owners.stream().sorted().findFirst().orElseThrow(),
        iso));
    Map<String, String> codes = new LinkedHashMap<>();
    Map<String, String> names = new HashMap<>();
    for (String token : tokens) {
      String code = isoOwner.getOrDefault(token, style.ownCode(token));
      codes.put(token, code);
      names.put(lower(token), token);
      names.putIfAbsent(lower(style.ownCode(token)), token);
    }
    // Public codes win over other tokens' own codes (an ISO code is what the routing layer sends).
    codes.forEach((token, code) -> names.put(lower(code), token));
    this.codeByToken = Collections.unmodifiableMap(codes);
    this.tokenByName = Map.copyOf(names);
  }

  /**
   * The language tokens among {@code specialTokens}, or empty when the model is not multilingual
   * (fewer than two tokens of one shape). With tokens of several shapes, the most common shape
   * wins.
   */
  static Optional<LanguageTokens> find(Collection<String> specialTokens) {
    Map<Style, List<String>> byStyle = new EnumMap<>(Style.class);
    for (String token : new LinkedHashSet<>(specialTokens)) {
      for (Style style : Style.values()) {
        if (style.matches(token)) {
          byStyle.computeIfAbsent(style, k -> new ArrayList<>()).add(token);
        }
      }
    }
    return byStyle.entrySet().stream()
        .filter(e -> e.getValue().size() >= 2)
        .max(Comparator.comparingInt(e -> e.getValue().size()))
        .map(e -> new LanguageTokens(e.getKey(), e.getValue()));
  }

  Style style() {
    return style;
  }

  boolean isLanguageToken(String token) {
    return codeByToken.containsKey(token);
  }

  /** The language tokens, in the order they were found. */
  Set<String> tokens() {
    return codeByToken.keySet();
  }

  /** Public codes of all languages, sorted. */
  Set<String> languages() {
    return Collections.unmodifiableSet(new TreeSet<>(codeByToken.values()));
  }

  /** The public code of a language token. */
  String code(String token) {
    return codeByToken.get(token);
  }

  /**
   * The token for a requested language: a public code ({@code de}), the model's own code
   * ({@code de_DE}, {@code deu_Latn}), the token ({@code __de__}), an ISO 639-3 code
   * ({@code deu}) or a tag with a region ({@code de-AT}), in any case.
   *
   * @throws IllegalArgumentException naming the model's languages when it has none of these
   */
  String token(String requested) {
    String name = lower(requested.strip());
    String token = tokenByName.get(name);
    if (token == null && name.length() == 3) {
      String alpha2 = IsoLanguages.toAlpha2(name);
      token = alpha2 == null ? null : tokenByName.get(alpha2);
    }
    if (token == null) {
      int cut = firstSeparator(name);
      if (cut > 0) {
        return token(name.substring(0, cut));
      }
      throw new IllegalArgumentException("Language '" + requested + "' is not one of this"
          + " model's languages: " + String.join(", ", languages()) + ".");
    }
    return token;
  }

  private static int firstSeparator(String name) {
    int dash = name.indexOf('-');
    int underscore = name.indexOf('_');
    if (dash < 0) {
      return underscore;
    }
    return underscore < 0 ? dash : Math.min(dash, underscore);
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
