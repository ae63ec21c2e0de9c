package dev.nlpstreams.text.language;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Tells the language of a text from its function words (Latin script) or its script (Hangul, kana,
 * Han, Cyrillic, Greek, Arabic, Hebrew, Thai, Devanagari).
 *
 * <p>Why function words: articles, pronouns, prepositions and conjunctions make up a third to a half
 * of running text in these languages, are nearly disjoint between them and need no model, so a
 * sentence or two decides reliably. Texts with no function word ("Berlin!") or with a tie are
 * reported as unknown rather than guessed; the caller then routes by target language alone.
 */
public final class LanguageDetector {

  /** Fewer counted words than this and the answer is unknown. */
  static final int MIN_EVIDENCE = 1;
  /** The winner must hold at least this share of the matched words. */
  static final double MIN_CONFIDENCE = 0.6;

  // Short, high-frequency function words; words shared by several languages (for example "a",
  // "de", "en", "la", "die") still count for each, the other words settle it.
  private static final Map<String, Set<String>> FUNCTION_WORDS = new LinkedHashMap<>();

  static {
    FUNCTION_WORDS.put("en", Set.of("the", "a", "an", "and", "or", "of", "to", "in", "is", "are",
        "was", "were", "it", "this", "that", "with", "for", "on", "my", "your", "his", "her",
        "because", "when", "although", "not", "be", "have", "has", "i", "you", "he", "she", "we",
        "they", "at", "by", "from", "but", "which", "who", "what", "there", "here", "today"));
    FUNCTION_WORDS.put("de", Set.of("der", "die", "das", "den", "dem", "des", "ein", "eine",
        "einen", "einem", "und", "oder", "ist", "sind", "war", "nicht", "mit", "für", "auf", "von",
        "zu", "im", "weil", "wenn", "dass", "obwohl", "ich", "du", "er", "sie", "es", "wir", "ihr",
        "mein", "meine", "dein", "deine", "dieser", "diese", "dieses", "hier", "heute", "auch",
        "aber", "noch", "wieder", "immer"));
    FUNCTION_WORDS.put("fr", Set.of("le", "la", "les", "un", "une", "des", "du", "et", "ou",
        "est", "sont", "était", "ne", "pas", "avec", "pour", "sur", "dans", "parce", "que", "qui",
        "quand", "bien", "de", "je", "tu", "il", "elle", "nous", "vous", "ils", "elles", "mon", "ma",
        "mes", "ton", "ta", "ce", "cette", "ces", "ici", "aujourd'hui", "au", "aux", "mais"));
    FUNCTION_WORDS.put("es", Set.of("el", "la", "los", "las", "un", "una", "unos", "y", "o",
        "es", "son", "era", "no", "con", "para", "por", "en", "que", "porque", "cuando", "aunque",
        "yo", "tú", "él", "ella", "nosotros", "mi", "mis", "tu", "su", "este", "esta", "aquí",
        "hoy", "pero", "del", "al", "muy", "de"));
    FUNCTION_WORDS.put("it", Set.of("il", "lo", "la", "gli", "le", "un", "una", "uno", "e", "o",
        "è", "sono", "era", "non", "con", "per", "su", "in", "che", "perché", "quando", "io", "tu",
        "lui", "lei", "noi", "voi", "mio", "mia", "questo", "questa", "qui", "oggi", "ma", "del",
        "della", "nel", "nella", "di"));
    FUNCTION_WORDS.put("nl", Set.of("de", "het", "een", "en", "of", "is", "zijn", "was", "niet",
        "met", "voor", "op", "van", "naar", "dat", "omdat", "wanneer", "hoewel", "ik", "jij", "hij",
        "zij", "wij", "mijn", "jouw", "deze", "dit", "hier", "vandaag", "maar", "ook", "nog"));
    FUNCTION_WORDS.put("pt", Set.of("o", "a", "os", "as", "um", "uma", "e", "ou", "é", "são",
        "era", "não", "com", "para", "por", "em", "que", "porque", "quando", "embora", "eu", "tu",
        "ele", "ela", "nós", "meu", "minha", "este", "esta", "aqui", "hoje", "mas", "do", "da",
        "no", "na", "de"));
  }

  private LanguageDetector() {}

  public static DetectedLanguage detect(String text) {
    DetectedLanguage byScript = detectByScript(text);
    if (byScript != null) {
      return byScript;
    }
    return detectByFunctionWords(text);
  }

  private static DetectedLanguage detectByScript(String text) {
    // Weighted letters: a Han, kana or Hangul character carries about a word's worth of text, so
    // it counts three times, and a Latin name inside Japanese does not outvote the Japanese.
    int letters = 0;
    Map<String, Integer> scripts = new LinkedHashMap<>();
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (!Character.isLetter(cp)) {
        continue;
      }
      Character.UnicodeScript script = Character.UnicodeScript.of(cp);
      int weight = switch (script) {
        case HAN, HIRAGANA, KATAKANA, HANGUL -> 3;
        default -> 1;
      };
      letters += weight;
      String language = switch (script) {
        case HANGUL -> "ko";
        case HIRAGANA, KATAKANA -> "ja";
        case HAN -> "zh";
        case CYRILLIC -> "ru";
        case GREEK -> "el";
        case ARABIC -> "ar";
        case HEBREW -> "he";
        case THAI -> "th";
        case DEVANAGARI -> "hi";
        default -> null;
      };
      if (language != null) {
        scripts.merge(language, weight, Integer::sum);
      }
    }
    int nonLatin = scripts.values().stream().mapToInt(Integer::intValue).sum();
    if (letters == 0 || nonLatin * 2 < letters) {
      return null;
    }
    // Japanese mixes kana with Han characters: any kana makes Han text Japanese.
    if (scripts.containsKey("ja") && scripts.containsKey("zh")) {
      scripts.merge("ja", scripts.remove("zh"), Integer::sum);
    }
    Map.Entry<String, Integer> best = scripts.entrySet().stream()
        .max(Map.Entry.comparingByValue()).orElseThrow();
    return new DetectedLanguage(best.getKey(), best.getValue() / (double) letters, letters);
  }

  private static DetectedLanguage detectByFunctionWords(String text) {
    Map<String, Integer> hits = new LinkedHashMap<>();
    int matchedWords = 0;
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}']+")) {
      if (word.isEmpty()) {
        continue;
      }
      boolean matched = false;
      for (Map.Entry<String, Set<String>> profile : FUNCTION_WORDS.entrySet()) {
        if (profile.getValue().contains(word)) {
          hits.merge(profile.getKey(), 1, Integer::sum);
          matched = true;
        }
      }
      if (matched) {
        matchedWords++;
      }
    }
    if (matchedWords < MIN_EVIDENCE) {
      return new DetectedLanguage(null, 0.0, matchedWords);
    }
    String best = null;
    int bestHits = 0;
    int runnerUp = 0;
    for (Map.Entry<String, Integer> e : hits.entrySet()) {
      if (e.getValue() > bestHits) {
        runnerUp = bestHits;
        bestHits = e.getValue();
        best = e.getKey();
      } else if (e.getValue() > runnerUp) {
        runnerUp = e.getValue();
      }
    }
    double confidence = bestHits / (double) matchedWords;
    if (bestHits == runnerUp || confidence < MIN_CONFIDENCE) {
      return new DetectedLanguage(null, confidence, matchedWords);
    }
    return new DetectedLanguage(best, confidence, matchedWords);
  }
}
