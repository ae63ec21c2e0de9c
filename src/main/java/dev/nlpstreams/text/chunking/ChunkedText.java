package dev.nlpstreams.text.chunking;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * A text cut into model-sized chunks, and how to join the chunks' outputs back together.
 *
 * <p>Cuts fall between sentences where possible: sentences are packed into chunks of at most the
 * token budget. A sentence longer than the budget is cut between words into windows that fit, and a
 * single word longer than the budget (a long URL, an encoded blob, a language written without
 * spaces) is cut between characters into windows that fit; their outputs are joined with a space,
 * like any other chunks. Past {@code maxChunks} chunks the rest of the text is left out and
 * {@link #truncated()} says so.
 *
 * <p>A plan is cheap to keep: its spans are character offsets, so a planned record can store them
 * and rebuild the same chunks later ({@link #ofSpans}) without tokenizing again.
 *
 * @param text the text that was cut
 * @param spans each chunk's [start, end) in {@code text}, in order (one span, the whole text, when
 *     it fits)
 * @param truncated true when text past {@code maxChunks} chunks was left out
 * @param tokens the model tokens of the chunks, special tokens counted once per chunk piece (what
 *     the chunks cost a batch's token budget)
 */
public record ChunkedText(String text, List<Span> spans, boolean truncated, int tokens) {

  /** One chunk: [start, end) of the text. */
  public record Span(int start, int end) {
    public Span {
      if (start < 0 || end < start) {
        throw new IllegalArgumentException("Bad chunk span [" + start + ", " + end + ")");
      }
    }
  }

  public ChunkedText {
    spans = List.copyOf(spans);
    int previousEnd = 0;
    for (Span span : spans) {
      if (span.start() < previousEnd || span.end() > text.length()) {
        throw new IllegalArgumentException("Chunk spans " + spans + " do not fit a text of "
            + text.length() + " chars in order");
      }
      previousEnd = span.end();
    }
  }

  /** The plan of {@code text} kept as its spans (from a stored plan). */
  public static ChunkedText ofSpans(String text, List<Span> spans, boolean truncated, int tokens) {
    return new ChunkedText(text, spans, truncated, tokens);
  }

  /** The spans in a compact text form, {@code start-end} joined by commas, for a stored plan. */
  public String spansText() {
    StringBuilder text = new StringBuilder();
    for (Span span : spans) {
      text.append(text.isEmpty() ? "" : ",").append(span.start()).append('-').append(span.end());
    }
    return text.toString();
  }

  /**
   * The spans of {@link #spansText()}.
   *
   * @throws IllegalArgumentException when {@code text} is not in that form
   */
  public static List<Span> parseSpans(String text) {
    List<Span> spans = new ArrayList<>();
    if (text.isEmpty()) {
      return spans;
    }
    for (String span : text.split(",")) {
      int dash = span.indexOf('-');
      if (dash < 0) {
        throw new IllegalArgumentException("Not a chunk span: '" + span + "'");
      }
      spans.add(new Span(Integer.parseInt(span.substring(0, dash)),
          Integer.parseInt(span.substring(dash + 1))));
    }
    return spans;
  }

  /** Chunk texts in order. */
  public List<String> chunks() {
    return spans.stream().map(span -> text.substring(span.start(), span.end())).toList();
  }

  /**
   * Separators to put after each chunk's output but the last: the original gap when it holds a
   * line break (paragraphs survive), one space otherwise.
   */
  public List<String> gaps() {
    List<String> gaps = new ArrayList<>(Math.max(0, spans.size() - 1));
    for (int c = 0; c + 1 < spans.size(); c++) {
      String gap = text.substring(spans.get(c).end(), spans.get(c + 1).start());
      gaps.add(gap.contains("\n") ? gap : " ");
    }
    return gaps;
  }

  /** A sentence or a word window: [start, end) of the text and its token count. */
  private record Piece(int start, int end, int tokens) {}

  /**
   * Plans the chunks of {@code text}, packing consecutive sentences up to the budget (what a
   * summarizer wants: as much context per chunk as it reads).
   *
   * @param tokens the model's token count of a piece of text (special tokens included, so summing
   *     pieces overestimates and chunks stay within the budget)
   * @param maxTokens the budget per chunk
   * @param maxChunks the most chunks to produce
   */
  public static ChunkedText plan(String text, ToIntFunction<String> tokens, int maxTokens,
      int maxChunks) {
    return plan(text, tokens, maxTokens, maxChunks, true);
  }

  /**
   * Plans one chunk per sentence (a sentence longer than the budget still becomes word windows):
   * what a translation model wants, since translation models are trained on sentence pairs and
   * drop or garble sentences when given several at once.
   */
  public static ChunkedText sentences(String text, ToIntFunction<String> tokens, int maxTokens,
      int maxChunks) {
    return plan(text, tokens, maxTokens, maxChunks, false);
  }

  private static ChunkedText plan(String text, ToIntFunction<String> tokens, int maxTokens,
      int maxChunks, boolean packSentences) {
    if (maxTokens < 1 || maxChunks < 1) {
      throw new IllegalArgumentException("maxTokens and maxChunks must be at least 1");
    }
    if (packSentences) {
      int whole = tokens.applyAsInt(text);
      if (whole <= maxTokens) {
        return new ChunkedText(text, List.of(new Span(0, text.length())), false, whole);
      }
    }
    List<Piece> pieces = new ArrayList<>();
    for (SentenceSplitter.Span sentence : SentenceSplitter.split(text)) {
      int t = tokens.applyAsInt(sentence.text(text));
      if (t <= maxTokens) {
        pieces.add(new Piece(sentence.start(), sentence.end(), t));
      } else {
        pieces.addAll(wordWindows(text, sentence.start(), sentence.end(), tokens, maxTokens));
      }
    }
    // A chunk is pieces [from, to): packed up to the budget, or one piece each.
    List<int[]> planned = new ArrayList<>();
    if (packSentences) {
      int[] pieceTokens = pieces.stream().mapToInt(Piece::tokens).toArray();
      for (ChunkPlanner.Chunk chunk : ChunkPlanner.plan(pieceTokens, maxTokens)) {
        planned.add(new int[] {chunk.fromSentence(), chunk.toSentence()});
      }
    } else {
      for (int p = 0; p < pieces.size(); p++) {
        planned.add(new int[] {p, p + 1});
      }
    }
    boolean truncated = planned.size() > maxChunks;
    if (truncated) {
      planned = planned.subList(0, maxChunks);
    }
    List<Span> spans = new ArrayList<>(planned.size());
    int chunkTokens = 0;
    for (int[] chunk : planned) {
      spans.add(new Span(pieces.get(chunk[0]).start(), pieces.get(chunk[1] - 1).end()));
      for (int p = chunk[0]; p < chunk[1]; p++) {
        chunkTokens += pieces.get(p).tokens();
      }
    }
    return new ChunkedText(text, spans, truncated, chunkTokens);
  }

  /**
   * A word window with its real token count (not the word-by-word estimate that cut it: a packed
   * chunk must not exceed the budget), capped at the budget for a window of one character that is
   * longer than it on its own.
   */
  private static Piece window(String text, int start, int end, ToIntFunction<String> tokens,
      int maxTokens) {
    return new Piece(start, end, Math.min(maxTokens, tokens.applyAsInt(text.substring(start, end))));
  }

  /** Joins one output per chunk with the chunk gaps. */
  public String stitch(List<String> outputs) {
    if (outputs.size() != spans.size()) {
      throw new IllegalArgumentException(outputs.size() + " outputs for " + spans.size()
          + " chunks");
    }
    List<String> gaps = gaps();
    StringBuilder joined = new StringBuilder();
    for (int c = 0; c < outputs.size(); c++) {
      joined.append(outputs.get(c).strip());
      if (c < gaps.size()) {
        joined.append(gaps.get(c));
      }
    }
    return joined.toString();
  }

  /**
   * Cuts [from, to) between words into windows within the budget, longest first. A window's cost is
   * the special tokens plus the sum of its words' own token counts (each word tokenized once, so a
   * huge unpunctuated text costs linear time; subword tokenizers split a word the same way alone as
   * in context).
   */
  private static List<Piece> wordWindows(String text, int from, int to,
      ToIntFunction<String> tokens, int maxTokens) {
    int specials = tokens.applyAsInt("");
    List<Piece> windows = new ArrayList<>();
    int windowStart = -1;
    int windowEnd = -1;
    int windowCost = specials;
    int i = from;
    while (i < to) {
      while (i < to && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < to && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i == start) {
        break;
      }
      int cost = Math.max(1, tokens.applyAsInt(text.substring(start, i)) - specials);
      if (windowStart >= 0 && (windowCost + cost > maxTokens || specials + cost > maxTokens)) {
        windows.addAll(fitted(text, windowStart, windowEnd, tokens, maxTokens));
        windowStart = -1;
        windowCost = specials;
      }
      if (specials + cost > maxTokens) {
        windows.addAll(characterWindows(text, start, i, cost, specials, tokens, maxTokens));
        continue;
      }
      if (windowStart < 0) {
        windowStart = start;
      }
      windowEnd = i;
      windowCost += cost;
    }
    if (windowStart >= 0) {
      windows.addAll(fitted(text, windowStart, windowEnd, tokens, maxTokens));
    }
    return windows;
  }

  /**
   * The words [from, to) as one window when their real token count fits the budget, else cut
   * between words where it fits: the word-by-word estimate misses tokens only context makes (a
   * byte-level BPE tokenizer's line breaks and runs of spaces are tokens of their own), and a
   * window over the budget would be refused by the model. Each cut is a binary search over the
   * window's word ends. A single word keeps its window (capped at the budget), as before.
   */
  private static List<Piece> fitted(String text, int from, int to, ToIntFunction<String> tokens,
      int maxTokens) {
    List<Piece> windows = new ArrayList<>();
    int start = from;
    while (start < to) {
      int whole = tokens.applyAsInt(text.substring(start, to));
      if (whole <= maxTokens) {
        windows.add(new Piece(start, to, whole));
        break;
      }
      List<Integer> wordEnds = new ArrayList<>();
      for (int i = start + 1; i <= to; i++) {
        if (!Character.isWhitespace(text.charAt(i - 1))
            && (i == to || Character.isWhitespace(text.charAt(i)))) {
          wordEnds.add(i);
        }
      }
      if (wordEnds.size() <= 1) {
        windows.add(window(text, start, to, tokens, maxTokens));
        break;
      }
      // wordEnds[fits] fits (or is the first word, which goes in any case); the last does not.
      int fits = 0;
      int tooLong = wordEnds.size() - 1;
      while (tooLong - fits > 1) {
        int middle = (fits + tooLong) >>> 1;
        if (tokens.applyAsInt(text.substring(start, wordEnds.get(middle))) <= maxTokens) {
          fits = middle;
        } else {
          tooLong = middle;
        }
      }
      int end = wordEnds.get(fits);
      windows.add(window(text, start, end, tokens, maxTokens));
      start = end;
      while (start < to && Character.isWhitespace(text.charAt(start))) {
        start++;
      }
    }
    return windows;
  }

  /**
   * Cuts one word [from, to) of {@code wordTokens} tokens ({@code specials}, the special tokens of
   * every model input, left out), longer than the budget, into windows of whole characters, each as long as fits the budget. Each cut is a
   * binary search over the window's end that tokenizes at most about two windows' worth of text
   * (the word's own characters per token sets the range), so a huge word costs time linear in its
   * length.
   */
  private static List<Piece> characterWindows(String text, int from, int to, int wordTokens,
      int specials, ToIntFunction<String> tokens, int maxTokens) {
    double charsPerToken = (double) (to - from) / Math.max(1, wordTokens);
    long searchSpan = (long) Math.ceil(2 * Math.max(1, maxTokens - specials) * charsPerToken) + 2;
    List<Piece> windows = new ArrayList<>();
    int start = from;
    while (start < to) {
      // From here on, [start, fits) fits the budget (or is the one character that must go in any
      // case) and [start, tooLong) does not, unless it is the rest of the search span.
      int fits = characterEnd(text, start, start + 1, to);
      int tooLong = characterEnd(text, start, (int) Math.min(to, start + searchSpan), to);
      if (tokens.applyAsInt(text.substring(start, tooLong)) <= maxTokens) {
        fits = tooLong;
      }
      while (tooLong - fits > 1) {
        int middle = characterEnd(text, start, fits + (tooLong - fits) / 2, to);
        if (middle <= fits || middle >= tooLong) {
          break;
        }
        if (tokens.applyAsInt(text.substring(start, middle)) <= maxTokens) {
          fits = middle;
        } else {
          tooLong = middle;
        }
      }
      windows.add(window(text, start, fits, tokens, maxTokens));
      start = fits;
    }
    return windows;
  }

  /** {@code end}, moved off the middle of a surrogate pair: back, or forward when at the start. */
  private static int characterEnd(String text, int start, int end, int to) {
    if (end <= start || end >= to || !Character.isLowSurrogate(text.charAt(end))
        || !Character.isHighSurrogate(text.charAt(end - 1))) {
      return end;
    }
    return end - 1 > start ? end - 1 : end + 1;
  }
}
