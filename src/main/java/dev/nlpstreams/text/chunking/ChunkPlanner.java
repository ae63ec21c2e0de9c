package dev.nlpstreams.text.chunking;

import java.util.ArrayList;
import java.util.List;

/**
 * Packs consecutive sentences into chunks of at most {@code maxTokens} tokens, so a long text runs
 * as a few model inputs instead of being truncated. A sentence longer than the budget becomes a
 * chunk of its own marked {@code oversized}: the caller cuts it into token windows (or truncates and
 * says so in the output).
 */
public final class ChunkPlanner {

  /** Sentences [fromSentence, toSentence) and their total tokens. */
  public record Chunk(int fromSentence, int toSentence, int tokens, boolean oversized) {}

  private ChunkPlanner() {}

  public static List<Chunk> plan(int[] sentenceTokens, int maxTokens) {
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be at least 1, was " + maxTokens);
    }
    List<Chunk> chunks = new ArrayList<>();
    int from = 0;
    int tokens = 0;
    for (int s = 0; s < sentenceTokens.length; s++) {
      int t = sentenceTokens[s];
      if (t < 0) {
        throw new IllegalArgumentException("sentence " + s + " has a negative token count " + t);
      }
      if (t > maxTokens) {
        if (s > from) {
          chunks.add(new Chunk(from, s, tokens, false));
        }
        chunks.add(new Chunk(s, s + 1, t, true));
        from = s + 1;
        tokens = 0;
      } else if (tokens + t > maxTokens) {
        chunks.add(new Chunk(from, s, tokens, false));
        from = s;
        tokens = t;
      } else {
        tokens += t;
      }
    }
    if (from < sentenceTokens.length) {
      chunks.add(new Chunk(from, sentenceTokens.length, tokens, false));
    }
    return chunks;
  }

  /**
   * Joins per-chunk outputs in order, separated by the original whitespace that followed each
   * chunk's last sentence (collapsed to one space when it was only spaces).
   */
  public static String stitch(String source, List<SentenceSplitter.Span> sentences,
      List<Chunk> chunks, List<String> outputs) {
    if (chunks.size() != outputs.size()) {
      throw new IllegalArgumentException(outputs.size() + " outputs for " + chunks.size()
          + " chunks");
    }
    StringBuilder joined = new StringBuilder();
    for (int c = 0; c < chunks.size(); c++) {
      joined.append(outputs.get(c).strip());
      if (c < chunks.size() - 1) {
        String gap = sentences.get(chunks.get(c).toSentence() - 1).gap(source);
        joined.append(gap.contains("\n") ? gap : " ");
      }
    }
    return joined.toString();
  }

  /** The source text of a chunk, with its inner spacing. */
  public static String text(String source, List<SentenceSplitter.Span> sentences, Chunk chunk) {
    return source.substring(sentences.get(chunk.fromSentence()).start(),
        sentences.get(chunk.toSentence() - 1).end());
  }
}
