package dev.nlpstreams.text.chunking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkPlannerTest {

  @Test
  void packsConsecutiveSentencesUpToTheBudget() {
    // 4+3 = 7 <= 8; adding 5 would be 12 > 8, so a new chunk: 5+2 = 7; then 6 alone.
    List<ChunkPlanner.Chunk> chunks = ChunkPlanner.plan(new int[] {4, 3, 5, 2, 6}, 8);
    assertThat(chunks).containsExactly(new ChunkPlanner.Chunk(0, 2, 7, false),
        new ChunkPlanner.Chunk(2, 4, 7, false), new ChunkPlanner.Chunk(4, 5, 6, false));
  }

  @Test
  void anOversizedSentenceStandsAloneAndIsMarked() {
    List<ChunkPlanner.Chunk> chunks = ChunkPlanner.plan(new int[] {2, 20, 3}, 8);
    assertThat(chunks).containsExactly(new ChunkPlanner.Chunk(0, 1, 2, false),
        new ChunkPlanner.Chunk(1, 2, 20, true), new ChunkPlanner.Chunk(2, 3, 3, false));
  }

  @Test
  void exactFitIsOneChunk() {
    assertThat(ChunkPlanner.plan(new int[] {4, 4}, 8)).containsExactly(
        new ChunkPlanner.Chunk(0, 2, 8, false));
    assertThat(ChunkPlanner.plan(new int[0], 8)).isEmpty();
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> ChunkPlanner.plan(new int[] {1}, 0)).hasMessageContaining("maxTokens");
    assertThatThrownBy(() -> ChunkPlanner.plan(new int[] {-1}, 4)).hasMessageContaining("negative");
  }
}
