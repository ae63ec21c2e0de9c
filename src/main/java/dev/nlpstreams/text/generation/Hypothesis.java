package dev.nlpstreams.text.generation;

import java.util.Arrays;

/**
 * One generated sequence: its tokens without the decoder start token (an eos, when generated, is the
 * last token), its score and the summed log-probabilities behind the score.
 *
 * <p>Beam search: {@code score = sumLogProbs / generatedLength^length_penalty}, Hugging Face's
 * {@code sequences_scores}, where {@code sumLogProbs} sums the processed log-softmax values of the
 * chosen tokens. Greedy search (Hugging Face returns no score): {@code score = sumLogProbs} = the sum
 * of log-softmax of the processed logits at the chosen tokens, what {@code compute_transition_scores(
 * ..., normalize_logits=True)} gives; with {@link GreedySearch.Scores#NONE} (what the processor runs)
 * both are {@code NaN}, as no score is computed.
 */
public final class Hypothesis {
  private final int[] tokens;
  private final double score;
  private final double sumLogProbs;

  public Hypothesis(int[] tokens, double score, double sumLogProbs) {
    this.tokens = tokens.clone();
    this.score = score;
    this.sumLogProbs = sumLogProbs;
  }

  /** Generated tokens, start token excluded; a fresh copy. */
  public int[] tokens() {
    return tokens.clone();
  }

  public int length() {
    return tokens.length;
  }

  public double score() {
    return score;
  }

  public double sumLogProbs() {
    return sumLogProbs;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hypothesis h && Arrays.equals(tokens, h.tokens)
        && Double.compare(score, h.score) == 0 && Double.compare(sumLogProbs, h.sumLogProbs) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(tokens) + Double.hashCode(score);
  }

  @Override
  public String toString() {
    return "Hypothesis" + Arrays.toString(tokens) + " score=" + score + " sumLogProbs=" + sumLogProbs;
  }
}
