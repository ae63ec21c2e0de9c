package dev.nlpstreams.inference.seq2seq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Greedy translation against every transformers.js translation golden (Marian, T5 with its task
 * prefix, multilingual M2M-100 with per-row language tokens); see {@link Seq2SeqGoldens}.
 */
class TranslationGoldenTest {

  private static final Seq2SeqGoldens GOLDENS = new Seq2SeqGoldens();

  @AfterAll
  static void close() {
    GOLDENS.close();
  }

  @TestFactory
  Stream<DynamicContainer> everyTranslationGolden() {
    List<Seq2SeqGoldens.Golden> goldens = Seq2SeqGoldens.goldens("translation");
    assertThat(goldens).extracting(Seq2SeqGoldens.Golden::toString)
        .contains("marian-tiny-en-de.json");
    return goldens.stream().map(GOLDENS::checks);
  }

  /** A model without goldens would be tested by nothing but smoke tests. */
  @Test
  void everyCommittedSeq2SeqModelHasGoldens() {
    Set<Path> covered = Stream.concat(Seq2SeqGoldens.goldens("translation").stream(),
            Seq2SeqGoldens.goldens("summarization").stream())
        .map(g -> g.modelDir().normalize()).collect(Collectors.toSet());
    assertThat(Seq2SeqGoldens.committedSeq2SeqModels()).allSatisfy(dir ->
        assertThat(covered).as("goldens for %s", dir).contains(dir.normalize()));
  }
}
