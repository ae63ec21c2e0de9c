package dev.nlpstreams.text.generation;

import java.util.Arrays;
import java.util.List;

/** Per-item results of one batched search, in input order, and the number of decoder calls made. */
public record GenerationResult(List<ItemResult> items, int decoderCalls) {
  public GenerationResult {
    items = List.copyOf(items);
  }

  public ItemResult item(int index) {
    return items.get(index);
  }

  /**
   * The best hypothesis of every item as Hugging Face lays out {@code generate}'s output minus the
   * start-token column: rows right-padded with {@code padTokenId} to the longest one.
   */
  public int[][] paddedBestTokens(int padTokenId) {
    int width = 0;
    for (ItemResult r : items) {
      width = Math.max(width, r.best().length());
    }
    int[][] out = new int[items.size()][];
    for (int i = 0; i < out.length; i++) {
      int[] t = items.get(i).best().tokens();
      out[i] = Arrays.copyOf(t, width);
      Arrays.fill(out[i], t.length, width, padTokenId);
    }
    return out;
  }
}
