package dev.nlpstreams.text.task;

/**
 * One generation result.
 *
 * @param text decoded output, special tokens removed
 * @param tokenIds generated ids without the decoder start token (and without a forced language token
 *     only if the model strips it when decoding; the ids are exactly what the decoder produced)
 * @param score the search's score of the returned hypothesis (length-penalised for beam search;
 *     NaN for greedy search, which computes none)
 * @param sourceTokens tokens the model read, with special tokens and any prefix
 * @param hitPositionLimit whether generation stopped at the decoder's position limit (its
 *     {@code max_position_embeddings}) rather than at eos or the requested length: the output is
 *     cut short, and outputs report it as truncated
 */
public record GeneratedText(String text, int[] tokenIds, double score, int sourceTokens,
    boolean hitPositionLimit) {

  public GeneratedText(String text, int[] tokenIds, double score, int sourceTokens) {
    this(text, tokenIds, score, sourceTokens, false);
  }
}
