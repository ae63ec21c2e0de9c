package dev.nlpstreams.text.task;

import dev.nlpstreams.text.ner.AggregationStrategy;
import java.util.Objects;

/** One text to tag, with the aggregation strategy to apply to it. */
public record NerRequest(String text, AggregationStrategy strategy) {
  public NerRequest {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(strategy, "strategy");
  }
}
