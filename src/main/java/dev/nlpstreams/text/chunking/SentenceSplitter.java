package dev.nlpstreams.text.chunking;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Rule-based sentence boundaries, good enough to cut text for a translation model: a sentence ends
 * at {@code . ! ? …} (with any closing quotes or brackets) followed by whitespace, or at the CJK
 * terminators {@code 。！？} wherever they stand. A period does not end a sentence after a known
 * abbreviation, a single-letter initial, or between digits.
 *
 * <p>Spans cover the text after any leading whitespace without holes: the whitespace after a
 * sentence is its {@link Span#end()}..{@link Span#next()} gap, so joining outputs with the original
 * gaps restores the layout.
 */
public final class SentenceSplitter {

  /** One sentence: [start, end) is its text; [end, next) the whitespace before the next one. */
  public record Span(int start, int end, int next) {
    public String text(String source) {
      return source.substring(start, end);
    }

    public String gap(String source) {
      return source.substring(end, next);
    }
  }

  private static final Set<String> ABBREVIATIONS = Set.of("mr", "mrs", "ms", "dr", "prof", "st",
      "jr", "sr", "vs", "etc", "e.g", "i.e", "inc", "ltd", "co", "corp", "no", "fig", "approx",
      "u.s", "u.k", "dept", "gen", "col", "lt", "sgt", "capt", "mt", "ave", "jan", "feb", "mar",
      "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "z.b", "usw", "bzw", "ca",
      "nr", "hr", "fr");

  private SentenceSplitter() {}

  public static List<Span> split(String text) {
    List<Span> spans = new ArrayList<>();
    int length = text.length();
    int start = skipWhitespace(text, 0);
    int i = start;
    while (i < length) {
      char c = text.charAt(i);
      int end = -1;
      if (c == '。' || c == '！' || c == '？') {
        end = closing(text, i + 1);
      } else if ((c == '.' || c == '!' || c == '?' || c == '…')) {
        int after = closing(text, skipRepeats(text, i + 1));
        boolean atBoundary = after == length || Character.isWhitespace(text.charAt(after));
        if (atBoundary && !(c == '.' && isNonTerminalPeriod(text, start, i))) {
          end = after;
        }
      }
      if (end > 0) {
        int next = skipWhitespace(text, end);
        spans.add(new Span(start, end, next));
        start = next;
        i = next;
      } else {
        i++;
      }
    }
    if (start < length) {
      int end = length;
      while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
        end--;
      }
      spans.add(new Span(start, end, length));
    }
    return spans;
  }

  private static boolean isNonTerminalPeriod(String text, int sentenceStart, int period) {
    // The word before the period, including inner periods ("e.g", "U.S").
    int wordStart = period;
    while (wordStart > sentenceStart && !Character.isWhitespace(text.charAt(wordStart - 1))) {
      wordStart--;
    }
    String word = text.substring(wordStart, period).replaceAll("^[(\"'“‘«]+", "");
    if (word.isEmpty()) {
      return false;
    }
    if (word.length() == 1 && Character.isUpperCase(word.charAt(0))) {
      return true; // an initial: "J. Smith"
    }
    return ABBREVIATIONS.contains(word.toLowerCase(Locale.ROOT));
  }

  private static int skipRepeats(String text, int i) {
    while (i < text.length() && ".!?…".indexOf(text.charAt(i)) >= 0) {
      i++;
    }
    return i;
  }

  private static int closing(String text, int i) {
    while (i < text.length() && "\"'”’»)]」』".indexOf(text.charAt(i)) >= 0) {
      i++;
    }
    return i;
  }

  private static int skipWhitespace(String text, int i) {
    while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }
}
