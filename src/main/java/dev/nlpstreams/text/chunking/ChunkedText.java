package dev.nlpstreams.text.chunking;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * A text cut into model-sized chunks, and how to join the chunks' outputs back together.
 *
 * <p>Cuts fall between sentences where possible: sentences are packed into chunks of at most the
 * token budget. A sentence longer than the budget is cut between words into windows that fit (and a
 * single word longer than the budget becomes a window of its own, which the model refuses: that
 * record fails). Past
 * {@code maxChunks} chunks the rest of the text is left out and {@link #truncated()} says so.
 *
 * @param chunks chunk texts in order (one chunk, the whole text, when it fits)
 * @param gaps separators to put after each chunk's output but the last: the original gap when it
 *     holds a line break (paragraphs survive), one space otherwise
 * @param truncated true when text past {@code maxChunks} chunks was left out
 */
public record ChunkedText(List<String> chunks, List<String> gaps, boolean truncated) {

  public ChunkedText {
    chunks = List.copyOf(chunks);
    gaps = List.copyOf(gaps);
    if (gaps.size() != Math.max(0, chunks.size() - 1)) {
      throw new IllegalArgumentException(gaps.size() + " gaps for " + chunks.size() + " chunks");
    }
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
    if (packSentences && tokens.applyAsInt(text) <= maxTokens) {
      return new ChunkedText(List.of(text), List.of(), false);
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
    List<String> chunks = new ArrayList<>(planned.size());
    List<String> gaps = new ArrayList<>();
    for (int c = 0; c < planned.size(); c++) {
      int from = planned.get(c)[0];
      int to = planned.get(c)[1];
      int end = pieces.get(to - 1).end();
      chunks.add(text.substring(pieces.get(from).start(), end));
      if (c < planned.size() - 1) {
        String gap = text.substring(end, pieces.get(planned.get(c + 1)[0]).start());
        gaps.add(gap.contains("\n") ? gap : " ");
      }
    }
    return new ChunkedText(chunks, gaps, truncated);
  }

  /**
   * A word window with its real token count (not the word-by-word estimate that cut it: a packed
   * chunk must not exceed the budget), capped at the budget for a single word longer than it.
   */
  private static Piece window(String text, int start, int end, ToIntFunction<String> tokens,
      int maxTokens) {
    return new Piece(start, end, Math.min(maxTokens, tokens.applyAsInt(text.substring(start, end))));
  }

  /** Joins one output per chunk with the chunk gaps. */
  public String stitch(List<String> outputs) {
    if (outputs.size() != chunks.size()) {
      throw new IllegalArgumentException(outputs.size() + " outputs for " + chunks.size()
          + " chunks");
    }
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
      if (windowStart >= 0 && windowCost + cost > maxTokens) {
        windows.add(window(text, windowStart, windowEnd, tokens, maxTokens));
        windowStart = -1;
        windowCost = specials;
      }
      if (windowStart < 0) {
        windowStart = start;
      }
      windowEnd = i;
      windowCost += cost;
    }
    if (windowStart >= 0) {
      windows.add(window(text, windowStart, windowEnd, tokens, maxTokens));
    }
    return windows;
  }
}
