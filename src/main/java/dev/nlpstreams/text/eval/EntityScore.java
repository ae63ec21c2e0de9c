package dev.nlpstreams.text.eval;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Entity-level exact-match precision, recall and F1, micro-averaged (the CoNLL / seqeval measure
 * the generator's {@code ner_metrics.py} uses): a predicted entity is correct only when its type,
 * start and end all equal a gold entity's. Add one text's gold and predicted spans at a time.
 */
public final class EntityScore {

  /** One entity: type and character span {@code [start, end)} in one unit (code points here). */
  public record Span(String type, int start, int end) {}

  /** Precision, recall and F1 with the counts they come from. */
  public record Prf(long correct, long predicted, long gold) {
    public double precision() {
      return predicted == 0 ? 0 : (double) correct / predicted;
    }

    public double recall() {
      return gold == 0 ? 0 : (double) correct / gold;
    }

    public double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
  }

  private final Map<String, long[]> byType = new TreeMap<>();

  /** Adds one text; duplicates within a list count once, as in {@code ner_metrics.py}. */
  public EntityScore add(Iterable<Span> gold, Iterable<Span> predicted) {
    Set<Span> goldSet = new HashSet<>();
    gold.forEach(goldSet::add);
    Set<Span> predictedSet = new HashSet<>();
    predicted.forEach(predictedSet::add);
    for (Span s : goldSet) {
      counts(s.type())[2]++;
    }
    for (Span s : predictedSet) {
      long[] c = counts(s.type());
      c[1]++;
      if (goldSet.contains(s)) {
        c[0]++;
      }
    }
    return this;
  }

  public Prf overall() {
    long correct = 0;
    long predicted = 0;
    long gold = 0;
    for (long[] c : byType.values()) {
      correct += c[0];
      predicted += c[1];
      gold += c[2];
    }
    return new Prf(correct, predicted, gold);
  }

  /** Scores per entity type, types in alphabetical order. */
  public Map<String, Prf> perType() {
    Map<String, Prf> out = new TreeMap<>();
    byType.forEach((type, c) -> out.put(type, new Prf(c[0], c[1], c[2])));
    return out;
  }

  private long[] counts(String type) {
    return byType.computeIfAbsent(type, t -> new long[3]);
  }
}
