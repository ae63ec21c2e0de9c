package dev.nlpstreams.text.generation;

import java.util.List;

/**
 * What the search produced for one batch item: up to {@code num_return_sequences} hypotheses, best
 * first, and the number of decoder steps the item took part in (with {@link FinishedRows#DROP}).
 */
public record ItemResult(List<Hypothesis> hypotheses, int steps) {
  public ItemResult {
    hypotheses = List.copyOf(hypotheses);
  }

  /** The best hypothesis; there is none only if every candidate scored -infinity (all tokens banned). */
  public Hypothesis best() {
    if (hypotheses.isEmpty()) {
      throw new IllegalStateException("no finite-scoring hypothesis was found; every continuation was banned"
          + " by the logits processors (check bad_words_ids, no_repeat_ngram_size and forced tokens)");
    }
    return hypotheses.get(0);
  }
}
