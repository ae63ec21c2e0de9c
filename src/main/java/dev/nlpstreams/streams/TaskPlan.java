package dev.nlpstreams.streams;

import java.util.Map;

/**
 * What a task decided about one record when it was decoded, so that nothing costly is decided
 * twice: the tokens it costs (the batch token budget) and task-specific facts (translation: the
 * route, with a detected source language). Stored with the buffered record, so it survives a
 * restore.
 */
public record TaskPlan(int tokens, Map<String, String> facts) implements PlanOutcome {
  public TaskPlan {
    facts = Map.copyOf(facts);
  }

  public static TaskPlan ofTokens(int tokens) {
    return new TaskPlan(tokens, Map.of());
  }
}
