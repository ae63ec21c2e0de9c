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
}
