package dev.nlpstreams.text.generation;

/**
 * One decoder forward pass: next-token logits for every live row. The ONNX decoder implements this
 * in the inference layer; tests implement it with tables.
 *
 * <h2>Contract</h2>
 * <ol>
 *   <li>The first {@link #next} call has exactly one row per batch item, in item order, each holding
 *       only the decoder start token. This holds for beam search too: the {@code num_beams} beams of
 *       an item start identical, so the search expands them itself instead of paying for identical
 *       rows (Hugging Face runs them all).</li>
 *   <li>{@code next} returns {@code float[rows.size()][vocab]} raw logits (before softmax); the vocab
 *       size must be the same on every call. The search copies what it needs; the arrays may be
 *       reused by the step afterwards. NaN and +infinity are rejected; -infinity is allowed.</li>
 *   <li>Between two {@code next} calls the search calls {@link #reorder} exactly once with
 *       {@code parentRows[r]} = the row index, in the previous {@code next} call, that new row
 *       {@code r} continues. New row {@code r}'s tokens are its parent's tokens plus one token, which
 *       {@link DecoderRows#lastToken} gives. A parent may appear several times (a beam fanning out)
 *       or not at all (a beam that fell out, or an item that finished); the array length is the
 *       number of rows of the next call. A KV-cache implementation gathers its cache rows with
 *       {@code parentRows} and feeds only the last token.</li>
 *   <li>With {@link FinishedRows#DROP} (the default) rows of an item are never passed again once the
 *       item is finished. With {@link FinishedRows#KEEP_PADDED} they stay and each continues itself
 *       with the pad token appended (a greedy row first carries its final token, as in Hugging Face),
 *       so the number of rows never changes after the first step; their logits are ignored.</li>
 *   <li>After the last {@code next} call there is no {@code reorder}. Every row of one call has the
 *       same decoder length.</li>
 * </ol>
 */
public interface StepFunction {

  /** Returns next-token logits, one row per entry of {@code rows}. */
  float[][] next(DecoderRows rows);

  /**
   * Re-ranks the per-row state (KV cache) before the next call; see the class contract. Stateless
   * step functions that recompute from {@link DecoderRows#tokens} can ignore it.
   */
  default void reorder(int[] parentRows) {
  }
}
