package dev.nlpstreams.text.ner;

import java.util.ArrayList;
import java.util.List;

/** A window under construction: its tokens and, row for row, the logits the "model" returns. */
final class TokenRows {

  private final List<String> labels;
  private final List<TokenSpan> tokens = new ArrayList<>();
  private final List<float[]> rows = new ArrayList<>();

  TokenRows(List<String> labels) {
    this.labels = labels;
  }

  /** A special token whose logits strongly favour {@code favoured}, to prove it is skipped. */
  TokenRows special(String piece, String favoured) {
    return add(TokenSpan.special(piece), LogitRows.favouring(labels, favoured));
  }

  /** A token with hand-chosen probabilities; see {@link LogitRows#probs}. */
  TokenRows token(String piece, int start, int end, Object... labelThenProbability) {
    return add(TokenSpan.of(piece, start, end), LogitRows.probs(labels, labelThenProbability));
  }

  TokenRows add(TokenSpan token, float[] logits) {
    tokens.add(token);
    rows.add(logits);
    return this;
  }

  List<TokenSpan> tokens() {
    return List.copyOf(tokens);
  }

  float[][] logits() {
    return rows.toArray(new float[0][]);
  }

  List<Entity> runWith(EntityAggregator aggregator, String text) {
    return aggregator.aggregate(text, tokens(), logits());
  }
}
