package dev.nlpstreams.text.generation;

import static dev.nlpstreams.text.generation.Toks.A;
import static dev.nlpstreams.text.generation.Toks.B;
import static dev.nlpstreams.text.generation.Toks.C;
import static dev.nlpstreams.text.generation.Toks.EOS;
import static dev.nlpstreams.text.generation.Toks.PAD;
import static dev.nlpstreams.text.generation.Toks.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A batch that mixes target languages: each item's config forces its own first token (a
 * multilingual model's target-language token), and only the first one.
 */
class PerRowForcedTokenTest {

  /** Unforced, every item would say "C EOS"; after a forced A or B it says "x A EOS" / "x B EOS". */
  private static TableStep table() {
    return new TableStep()
        .probs("", C, 0.7, A, 0.2, B, 0.1)
        .probs("C", EOS, 1.0)
        .probs("A", A, 0.6, EOS, 0.4)
        .probs("A A", EOS, 1.0)
        .probs("B", B, 0.6, EOS, 0.4)
        .probs("B B", EOS, 1.0);
  }

  private static GenerationConfig.Builder base(int beams) {
    return GenerationConfig.builder().decoderStartTokenId(START).eosTokenId(EOS).padTokenId(PAD)
        .maxNewTokens(5).numBeams(beams);
  }

  @Test
  void withForcedBosTokenIdChangesOnlyTheForcedToken() {
    GenerationConfig c = base(1).forcedBosTokenId(B).build();
    GenerationConfig forced = c.withForcedBosTokenId(A);

    assertThat(forced.forcedBosTokenId()).hasValue(A);
    assertThat(forced.withForcedBosTokenId(B)).isEqualTo(c);
    assertThat(base(1).build().withForcedBosTokenId(A).forcedBosTokenId()).hasValue(A);
  }

  @Test
  void greedyForcesEachRowsOwnFirstToken() {
    GenerationConfig shared = base(1).build();
    List<GenerationConfig> perRow = List.of(shared.withForcedBosTokenId(A),
        shared.withForcedBosTokenId(B), shared, shared.withForcedBosTokenId(A));
    ContractCheckingStep step = new ContractCheckingStep(table(), START);

    GenerationResult r = new GreedySearch().generate(perRow, step);

    assertThat(r.item(0).best().tokens()).containsExactly(A, A, EOS);
    assertThat(r.item(1).best().tokens()).containsExactly(B, B, EOS);
    assertThat(r.item(2).best().tokens()).containsExactly(C, EOS);
    assertThat(r.item(3).best().tokens()).containsExactly(A, A, EOS);
    // The forced token scores log(1) = 0 (HF sets it to 0 and everything else to -inf); the rest
    // are the table's probabilities.
    assertThat(r.item(0).best().score()).isCloseTo(Math.log(0.6), within(1e-6));
  }

  @Test
  void beamSearchForcesEachRowsOwnFirstToken() {
    GenerationConfig shared = base(2).build();
    List<GenerationConfig> perRow = List.of(shared.withForcedBosTokenId(B), shared,
        shared.withForcedBosTokenId(A));
    // Beams that could only continue with -infinity (after a finished candidate) still ask for a row.
    ContractCheckingStep step = new ContractCheckingStep(table().fallbackProbs(EOS, 1.0), START);

    GenerationResult r = new BeamSearch().generate(perRow, step);

    assertThat(r.item(0).best().tokens()).startsWith(B);
    assertThat(r.item(1).best().tokens()).containsExactly(C, EOS);
    assertThat(r.item(2).best().tokens()).startsWith(A);
    for (int item : new int[] {0, 2}) {
      // Every hypothesis the item kept starts with its forced token: the other first tokens were
      // -infinity, so no beam could start elsewhere.
      int forced = item == 0 ? B : A;
      r.item(item).hypotheses().forEach(h -> assertThat(h.tokens()[0]).isEqualTo(forced));
    }
  }

  @Test
  void onlyTheFirstGeneratedTokenIsForced() {
    TableStep step = new TableStep()
        .probs("", C, 1.0)
        .probs("A", C, 0.9, EOS, 0.1)
        .probs("A C", EOS, 1.0);

    GenerationResult r = new GreedySearch().generate(List.of(base(1).build()
        .withForcedBosTokenId(A)), step);

    assertThat(r.item(0).best().tokens()).containsExactly(A, C, EOS);
  }
}
