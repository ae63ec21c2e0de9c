package dev.nlpstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.text.chunking.ChunkedText;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A chunk plan survives the buffer entry, and is cut again rather than trusted when stale. */
class ChunkPlanFactsTest {

  private static final String TEXT = "the dog runs home. the cat sleeps.\n\nthe bird sings.";

  private static int words(String text) {
    return text.isBlank() ? 1 : text.strip().split("\\s+").length + 1;
  }

  private static Map<String, String> stored(ChunkedText chunks, int maxTokens, int maxChunks) {
    Map<String, String> facts = new HashMap<>(Map.of("model", "marian"));
    ChunkPlanFacts.put(facts, chunks, maxTokens, maxChunks);
    return facts;
  }

  @Test
  void aStoredPlanGivesBackTheSameChunksGapsAndTruncation() {
    ChunkedText planned = ChunkedText.sentences(TEXT, ChunkPlanFactsTest::words, 5, 2);
    assertThat(planned.chunks()).containsExactly("the dog runs home.", "the cat sleeps.");
    assertThat(planned.truncated()).isTrue();

    ChunkedText restored = ChunkPlanFacts.restore(stored(planned, 5, 2), TEXT, planned.tokens(),
        5, 2);

    assertThat(restored).isEqualTo(planned);
    assertThat(restored.chunks()).isEqualTo(planned.chunks());
    assertThat(restored.stitch(java.util.List.of("A", "B"))).isEqualTo("A B");
  }

  @Test
  void aPlanForAnotherBudgetOrChunkLimitIsNotTrusted() {
    ChunkedText planned = ChunkedText.sentences(TEXT, ChunkPlanFactsTest::words, 5, 6);
    Map<String, String> facts = stored(planned, 5, 6);

    assertThat(ChunkPlanFacts.restore(facts, TEXT, planned.tokens(), 8, 6)).isNull();
    assertThat(ChunkPlanFacts.restore(facts, TEXT, planned.tokens(), 5, 4)).isNull();
    assertThat(ChunkPlanFacts.restore(Map.of("model", "marian"), TEXT, 0, 5, 6))
        .as("an entry written before plans kept chunks").isNull();
  }

  @Test
  void spansThatDoNotFitTheTextAreCutAgainNotTrusted() {
    ChunkedText planned = ChunkedText.sentences(TEXT, ChunkPlanFactsTest::words, 5, 6);
    Map<String, String> facts = stored(planned, 5, 6);

    assertThat(ChunkPlanFacts.restore(facts, "short", 3, 5, 6)).isNull();
    facts.put("chunks", "12-3");
    assertThat(ChunkPlanFacts.restore(facts, TEXT, 3, 5, 6)).isNull();
    facts.put("chunks", "zero-ten");
    assertThat(ChunkPlanFacts.restore(facts, TEXT, 3, 5, 6)).isNull();
  }
}
