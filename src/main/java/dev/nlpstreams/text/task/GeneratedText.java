package dev.nlpstreams.text.task;

/**
 * One generation result.
 *
 * @param text decoded output, special tokens removed
 * @param tokenIds generated ids without the decoder start token (and without a forced language token
 *     only if the model strips it when decoding; the ids are exactly what the decoder produced)
 * @param score the search's score of the returned hypothesis (length-penalised for beam search)
 * @param sourceTokens tokens the model read, with special tokens and any prefix
 */
public record GeneratedText(String text, int[] tokenIds, double score, int sourceTokens) {}
