package dev.nlpstreams.text.generation;

/**
 * A Hugging Face logits processor: rewrites one row's next-token scores in place, given the row's
 * decoder tokens so far ({@code input_ids}, start token included). Greedy search passes raw
 * logits, beam search log-softmax values, exactly as Hugging Face does.
 */
@FunctionalInterface
public interface LogitsProcessor {
  void process(int[] decoderTokens, double[] scores);
}
