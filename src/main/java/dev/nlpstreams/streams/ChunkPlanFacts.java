package dev.nlpstreams.streams;

import dev.nlpstreams.text.chunking.ChunkedText;
import java.util.Map;

/**
 * A text's chunk plan kept in a buffered record's plan facts, so that neither a run, a split retry
 * nor a restore tokenizes the text again to cut it. The plan names the budget it was cut for: a
 * restore under another model budget or chunk limit cuts again rather than trust stale spans.
 */
final class ChunkPlanFacts {

  private static final String SPANS = "chunks";
  private static final String TRUNCATED = "chunks_truncated";
  private static final String BUDGET = "chunk_budget";

  private ChunkPlanFacts() {}

  /** Adds {@code chunks}, cut for {@code maxTokens} per chunk and {@code maxChunks}, to facts. */
  static void put(Map<String, String> facts, ChunkedText chunks, int maxTokens, int maxChunks) {
    facts.put(SPANS, chunks.spansText());
    facts.put(TRUNCATED, Boolean.toString(chunks.truncated()));
    facts.put(BUDGET, budget(maxTokens, maxChunks));
  }

  /**
   * The plan the facts keep for {@code text}, or null when they keep none for this budget (an
   * entry of an older version, or one cut for another model): the caller then cuts it again.
   */
  static ChunkedText restore(Map<String, String> facts, String text, int tokens, int maxTokens,
      int maxChunks) {
    String spans = facts.get(SPANS);
    if (spans == null || !budget(maxTokens, maxChunks).equals(facts.get(BUDGET))) {
      return null;
    }
    try {
      return ChunkedText.ofSpans(text, ChunkedText.parseSpans(spans),
          Boolean.parseBoolean(facts.get(TRUNCATED)), tokens);
    } catch (IllegalArgumentException e) {
      return null; // not ours to trust: cut again
    }
  }

  /**
   * The chunks planned for {@code record} when its buffer entry keeps them for this budget,
   * otherwise {@code cut}'s (an entry without a stored plan, or one cut for another model).
   */
  static ChunkedText plannedOrCut(PendingRecord record, int maxTokens, int maxChunks,
      java.util.function.Supplier<ChunkedText> cut) {
    ChunkedText planned = record.buffered() == null ? null
        : restore(record.buffered().getPlan(), record.event().getText(),
            record.buffered().getTokenCount(), maxTokens, maxChunks);
    return planned != null ? planned : cut.get();
  }

  private static String budget(int maxTokens, int maxChunks) {
    return maxTokens + "/" + maxChunks;
  }
}
