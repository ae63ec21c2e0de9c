package dev.nlpstreams.text.generation;

/**
 * The live decoder rows of one step: for each row, the batch item it belongs to and its decoder
 * tokens so far (starting with the decoder start token). The arrays belong to the search and are
 * valid for the duration of one {@link StepFunction#next} call; do not modify or keep them.
 */
public final class DecoderRows {
  private final int[] items;
  private final int[][] tokens;

  DecoderRows(int[] items, int[][] tokens) {
    this.items = items;
    this.tokens = tokens;
  }

  /** Number of rows; also the number of logit rows {@link StepFunction#next} must return. */
  public int size() {
    return items.length;
  }

  /** Index of the batch item (0-based, in the order given to the search) this row decodes for. */
  public int item(int row) {
    return items[row];
  }

  /** Decoder tokens of the row so far, start token first; its length is the row's decoder length. */
  public int[] tokens(int row) {
    return tokens[row];
  }

  /** The token to feed a decoder that keeps a KV cache for this row. */
  public int lastToken(int row) {
    int[] t = tokens[row];
    return t[t.length - 1];
  }

  /** Decoder length of the row (start token included); equal for all rows of one step. */
  public int length(int row) {
    return tokens[row].length;
  }
}
