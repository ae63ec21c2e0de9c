package dev.nlpstreams.text.task;

import dev.nlpstreams.text.ner.AggregationStrategy;
import dev.nlpstreams.text.ner.Entity;
import java.util.List;

/**
 * Entities found in one text. {@code windowCount} is how many sliding windows the text needed
 * (1 when it fit the model's maximum length, 0 for an empty text that was not run).
 */
public record NerResult(List<Entity> entities, AggregationStrategy strategy, int windowCount,
    ModelIdentity model) {
  public NerResult {
    entities = List.copyOf(entities);
  }
}
