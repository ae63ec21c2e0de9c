package dev.nlpstreams.text.generation;

/**
 * Hugging Face's {@code LogitNormalization} ({@code renormalize_logits=true}): a log-softmax after
 * the other processors, so that scores remain log-probabilities once processors have masked tokens.
 */
public final class LogitNormalizationProcessor implements LogitsProcessor {
  @Override
  public void process(int[] decoderTokens, double[] scores) {
    SearchSupport.logSoftmax(scores);
  }
}
