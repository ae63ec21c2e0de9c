package dev.nlpstreams.text.generation;

import static dev.nlpstreams.text.generation.Toks.A;
import static dev.nlpstreams.text.generation.Toks.B;
import static dev.nlpstreams.text.generation.Toks.C;
import static dev.nlpstreams.text.generation.Toks.EOS;
import static dev.nlpstreams.text.generation.Toks.PAD;
import static dev.nlpstreams.text.generation.Toks.START;
import static java.lang.Math.log;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-checked beam searches. Rows are probabilities, so every score below is a sum of ln(p);
 * "/n" is the division by generatedLength^length_penalty (generated length counts the eos token
 * and not the start token).
 */
class BeamSearchTest {
  private static final double EPS = 1e-6;

  private static GenerationConfig.Builder beams(int n) {
    return GenerationConfig.builder().decoderStartTokenId(START).eosTokenId(EOS).padTokenId(PAD)
        .maxNewTokens(10).numBeams(n).numReturnSequences(n);
  }

  /**
   * step 1: A ln.5=-0.693 r0, B ln.3=-1.204 r1, C r2, EOS r3 (not offered: rank >= num_beams)
   * step 2: A EOS ln.35=-1.050 r0 -> finished -1.050/2=-0.525; B A ln.27=-1.309 r1; A C ln.15=-1.897 r2;
   *         B EOS ln.03 r3. Running: B A and A C (refilled from rank 2 because rank 0 finished).
   * step 3: B A EOS ln.216=-1.533 r0 -> /3=-0.511; A C EOS ln.135=-2.003 r1 -> /3=-0.668;
   *         kept: [B A EOS -0.511, A EOS -0.525]; best running B A C ln.054=-2.919, /3=-0.973 is not
   *         above the worst kept -0.525, so the item is done (early_stopping=false heuristic).
   */
  private static TableStep eosInsideTheBeam() {
    return new TableStep()
        .probs("", A, 0.5, B, 0.3, C, 0.15, EOS, 0.05)
        .probs("A", EOS, 0.7, C, 0.3)
        .probs("B", A, 0.9, EOS, 0.1)
        .probs("B A", EOS, 0.8, C, 0.2)
        .probs("A C", EOS, 0.9, B, 0.1);
  }

  @Test
  void finishedHypothesisLeavesTheBeamWhichIsRefilledFromTheCandidates() {
    ContractCheckingStep step = new ContractCheckingStep(eosInsideTheBeam(), START);

    ItemResult r = new BeamSearch().generate(beams(2).build(), 1, step).item(0);

    assertThat(r.hypotheses()).hasSize(2);
    assertThat(r.best().tokens()).containsExactly(B, A, EOS);
    assertThat(r.best().score()).isCloseTo(log(0.216) / 3, within(EPS));
    assertThat(r.best().sumLogProbs()).isCloseTo(log(0.216), within(EPS));
    assertThat(r.hypotheses().get(1).tokens()).containsExactly(A, EOS);
    assertThat(r.hypotheses().get(1).score()).isCloseTo(log(0.35) / 2, within(EPS));
    // first call: one row for the item; then the two running beams; the third call holds B A and
    // the rank-2 candidate A C that replaced the finished A EOS
    assertThat(step.calls()).isEqualTo(3);
    assertThat(step.callTokens.get(0)).hasNumberOfRows(1);
    assertThat(step.callTokens.get(2)).isDeepEqualTo(new int[][] {{START, B, A}, {START, A, C}});
  }

  @Test
  void lengthPenaltyBelowAndAboveOneChangesTheWinner() {
    // lp 0.5: A EOS -1.050/2^.5=-0.742 beats B A EOS -1.533/3^.5=-0.885 (A C EOS -2.003/3^.5=-1.156)
    ItemResult half = new BeamSearch().generate(beams(2).lengthPenalty(0.5).build(), 1, eosInsideTheBeam()).item(0);
    // lp 1: B A EOS -0.511 beats A EOS -0.525
    ItemResult one = new BeamSearch().generate(beams(2).lengthPenalty(1.0).build(), 1, eosInsideTheBeam()).item(0);
    // lp 2: B A EOS -1.533/9=-0.170, A C EOS -2.003/9=-0.2225, and A EOS -1.050/4=-0.262 drops out
    ItemResult two = new BeamSearch().generate(beams(2).lengthPenalty(2.0).build(), 1, eosInsideTheBeam()).item(0);

    assertThat(half.best().tokens()).containsExactly(A, EOS);
    assertThat(half.best().score()).isCloseTo(log(0.35) / Math.sqrt(2), within(EPS));
    assertThat(half.hypotheses().get(1).tokens()).containsExactly(B, A, EOS);
    assertThat(one.best().tokens()).containsExactly(B, A, EOS);
    assertThat(two.best().tokens()).containsExactly(B, A, EOS);
    assertThat(two.best().score()).isCloseTo(log(0.216) / 9, within(EPS));
    assertThat(two.hypotheses().get(1).tokens()).containsExactly(A, C, EOS);
    assertThat(two.hypotheses().get(1).score()).isCloseTo(log(0.135) / 9, within(EPS));
  }

  /**
   * num_beams 2, lp 1, max_new_tokens 5.
   * step 1: EOS ln.4=-0.916 r0 -> kept -0.916/1; A -1.050 r1, B -1.386 r2 run on.
   * step 2: B C ln.2375=-1.438 r0; A EOS ln.1925=-1.648 r1 -> kept /2=-0.824; A C ln.1575=-1.848 r2.
   *         kept full: [A EOS -0.824, EOS -0.916]. TRUE stops here.
   *         FALSE: best running -1.438/2=-0.719 > -0.916, go on. NEVER: -1.438/5=-0.288 > -0.916, go on.
   * step 3: B C EOS ln.21375=-1.543 r0 -> /3=-0.514; A C EOS ln.0945=-2.359 r1 -> /3=-0.786;
   *         kept [B C EOS -0.514, A C EOS -0.786]; running A C A ln.063=-2.765, B C A.
   *         FALSE: -2.765/3=-0.922 > -0.786? no, stop. NEVER scores at max length: -2.765/5=-0.553 > -0.786, go on.
   * step 4: A C A EOS ln.06237=-2.775 r0 -> /4=-0.694 replaces A C EOS; best running B C A B
   *         ln.01425=-4.251, /5=-0.850 > -0.694? no, stop.
   */
  private static TableStep earlyStoppingCase() {
    return new TableStep()
        .probs("", EOS, 0.4, A, 0.35, B, 0.25)
        .probs("A", EOS, 0.55, C, 0.45)
        .probs("B", C, 0.95, EOS, 0.05)
        .probs("B C", EOS, 0.9, A, 0.1)
        .probs("A C", EOS, 0.6, A, 0.4)
        .probs("A C A", EOS, 0.99, B, 0.01)
        .probs("B C A", B, 0.6, EOS, 0.4);
  }

  @Test
  void earlyStoppingTrueFalseAndNeverGiveDifferentResults() {
    GenerationConfig.Builder cfg = beams(2).maxNewTokens(5);

    GenerationResult t = new BeamSearch().generate(cfg.earlyStopping(EarlyStopping.TRUE).build(), 1, earlyStoppingCase());
    GenerationResult f = new BeamSearch().generate(cfg.earlyStopping(EarlyStopping.FALSE).build(), 1, earlyStoppingCase());
    GenerationResult n = new BeamSearch().generate(cfg.earlyStopping(EarlyStopping.NEVER).build(), 1, earlyStoppingCase());

    assertThat(t.decoderCalls()).isEqualTo(2);
    assertThat(t.item(0).best().tokens()).containsExactly(A, EOS);
    assertThat(t.item(0).best().score()).isCloseTo(log(0.1925) / 2, within(EPS));
    assertThat(t.item(0).hypotheses().get(1).tokens()).containsExactly(EOS);
    assertThat(t.item(0).hypotheses().get(1).score()).isCloseTo(log(0.4), within(EPS));

    assertThat(f.decoderCalls()).isEqualTo(3);
    assertThat(f.item(0).best().tokens()).containsExactly(B, C, EOS);
    assertThat(f.item(0).best().score()).isCloseTo(log(0.21375) / 3, within(EPS));
    assertThat(f.item(0).hypotheses().get(1).tokens()).containsExactly(A, C, EOS);

    assertThat(n.decoderCalls()).isEqualTo(4);
    assertThat(n.item(0).best().tokens()).containsExactly(B, C, EOS);
    assertThat(n.item(0).hypotheses().get(1).tokens()).containsExactly(A, C, A, EOS);
    assertThat(n.item(0).hypotheses().get(1).score()).isCloseTo(log(0.06237) / 4, within(EPS));
  }

  /**
   * Equal scores go to the earlier beam, then the lower token id (HF's torch.topk leaves tie order
   * unspecified; this is torch.argmax's first-index rule, which greedy uses). lp 0, max_new_tokens 3.
   * step 1: A and B both ln.4 -> A (id 3) rank 0, B rank 1.
   * step 2: A EOS, A C, B EOS, B C all ln.2: A EOS r0 is kept (-1.609), B EOS is rank 2 and is not.
   * step 3 (max length, all candidates finish): A C A, A C C, B C A, B C C all ln.1=-2.303:
   *         A C A r0 kept, A C C r1 ties it and loses to the earlier entry.
   */
  @Test
  void tiesGoToTheEarlierBeamThenTheLowerTokenId() {
    TableStep step = new TableStep()
        .probs("", A, 0.4, B, 0.4, EOS, 0.2)
        .probs("A", EOS, 0.5, C, 0.5)
        .probs("B", EOS, 0.5, C, 0.5)
        .probs("A C", A, 0.5, C, 0.5)
        .probs("B C", A, 0.5, C, 0.5);

    ItemResult r = new BeamSearch().generate(beams(2).maxNewTokens(3).lengthPenalty(0).build(), 1, step).item(0);

    assertThat(r.best().tokens()).containsExactly(A, EOS);
    assertThat(r.best().score()).isCloseTo(log(0.2), within(EPS));
    assertThat(r.hypotheses().get(1).tokens()).containsExactly(A, C, A);
    assertThat(r.hypotheses().get(1).score()).isCloseTo(log(0.1), within(EPS));
  }

  /**
   * no_repeat_ngram_size 2 inside each beam, lp 1.
   * step 1: A ln.6 r0, B ln.4 r1. step 2: A A ln.42=-0.868, B B ln.28=-1.273 (eos ranks 2, 3).
   * step 3: in beam A A the token A is banned ((A,A) seen), in beam B B the token B is:
   *         B B A = -1.273+ln.5 = -1.966 r0, A A B = -0.868+ln.3 = -2.072 r1 (A A A = -1.561 would have won).
   * step 4: B B A EOS -1.966/4 = -0.4915, A A B EOS -2.072/4 = -0.518.
   */
  @Test
  void noRepeatNgramsAreBannedPerBeam() {
    TableStep step = new TableStep()
        .probs("", A, 0.6, B, 0.4)
        .probs("A", A, 0.7, EOS, 0.3)
        .probs("B", B, 0.7, EOS, 0.3)
        .probs("A A", A, 0.5, B, 0.3, EOS, 0.2)
        .probs("B B", A, 0.5, B, 0.3, EOS, 0.2)
        .probs("B B A", EOS, 1.0)
        .probs("A A B", EOS, 1.0);

    ItemResult r = new BeamSearch().generate(beams(2).noRepeatNgramSize(2).build(), 1, step).item(0);

    assertThat(r.best().tokens()).containsExactly(B, B, A, EOS);
    assertThat(r.best().score()).isCloseTo((log(0.28) + log(0.5)) / 4, within(EPS));
    assertThat(r.hypotheses().get(1).tokens()).containsExactly(A, A, B, EOS);
    assertThat(r.hypotheses().get(1).score()).isCloseTo((log(0.42) + log(0.3)) / 4, within(EPS));
  }

  @Test
  void maxLengthFinishesTheTopBeamsWithoutEos() {
    // no eos ever: both beams end at max length, generated length 2, lp 1.
    // step 1: A ln.6, B ln.4; step 2 (max): A A ln.36 r0, A B ln.24 r1 -> kept /2; B A ln .24 r2 is not
    TableStep step = new TableStep().fallbackProbs(A, 0.6, B, 0.4);

    ItemResult r = new BeamSearch().generate(beams(2).maxNewTokens(2).build(), 1, step).item(0);

    assertThat(r.best().tokens()).containsExactly(A, A);
    assertThat(r.best().score()).isCloseTo(log(0.36) / 2, within(EPS));
    assertThat(r.hypotheses().get(1).tokens()).containsExactly(A, B);
  }

  @Test
  void finishedItemsStopCostingStepsAndKeepModeGivesTheSameResults() {
    // item 0 finishes at step 3 (case above), item 1 runs four steps (early_stopping never case)
    TableStep both = new TableStep()
        .probs("0|", A, 0.5, B, 0.3, C, 0.15, EOS, 0.05)
        .probs("0|A", EOS, 0.7, C, 0.3)
        .probs("0|B", A, 0.9, EOS, 0.1)
        .probs("0|B A", EOS, 0.8, C, 0.2)
        .probs("0|A C", EOS, 0.9, B, 0.1)
        .probs("1|", EOS, 0.4, A, 0.35, B, 0.25)
        .probs("1|A", EOS, 0.55, C, 0.45)
        .probs("1|B", C, 0.95, EOS, 0.05)
        .probs("1|B C", EOS, 0.9, A, 0.1)
        .probs("1|A C", EOS, 0.6, A, 0.4)
        .probs("1|A C A", EOS, 0.99, B, 0.01)
        .probs("1|B C A", B, 0.6, EOS, 0.4)
        .fallbackProbs(C, 1.0);
    List<GenerationConfig> configs = List.of(beams(2).build(), beams(2).maxNewTokens(5).earlyStopping(EarlyStopping.NEVER).build());

    ContractCheckingStep dropStep = new ContractCheckingStep(both, START);
    GenerationResult dropped = new BeamSearch().generate(configs, dropStep);
    ContractCheckingStep keepStep = new ContractCheckingStep(both, START);
    GenerationResult kept = new BeamSearch(FinishedRows.KEEP_PADDED).generate(configs, keepStep);

    assertThat(dropped.item(0).best().tokens()).containsExactly(B, A, EOS);
    assertThat(dropped.item(1).hypotheses().get(1).tokens()).containsExactly(A, C, A, EOS);
    assertThat(dropStep.callsWithItem(0)).containsExactly(1, 2, 3);
    assertThat(dropStep.callsWithItem(1)).containsExactly(1, 2, 3, 4);
    assertThat(dropStep.callItems.get(3)).containsExactly(1, 1);
    assertThat(kept.items()).isEqualTo(dropped.items());
    assertThat(keepStep.callItems.get(3)).containsExactly(0, 0, 1, 1);
    assertThat(keepStep.callTokens.get(3)[0]).containsExactly(START, B, A, PAD);
  }

  @Test
  void refusesAVocabularyTooSmallForTheCandidates() {
    // 2 beams x 1 eos need 4 candidates per step; a 1-token vocabulary offers 2
    StepFunction tiny = rows -> new float[rows.size()][1];
    GenerationConfig cfg = GenerationConfig.builder().decoderStartTokenId(0).numBeams(2).build();
    assertThatThrownBy(() -> new BeamSearch().generate(cfg, 1, tiny))
        .isInstanceOf(InvalidGenerationConfigException.class).hasMessageContaining("lower num_beams");
  }
}
