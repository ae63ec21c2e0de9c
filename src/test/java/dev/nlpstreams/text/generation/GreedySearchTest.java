package dev.nlpstreams.text.generation;

import static dev.nlpstreams.text.generation.Toks.A;
import static dev.nlpstreams.text.generation.Toks.B;
import static dev.nlpstreams.text.generation.Toks.C;
import static dev.nlpstreams.text.generation.Toks.EOS;
import static dev.nlpstreams.text.generation.Toks.PAD;
import static dev.nlpstreams.text.generation.Toks.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class GreedySearchTest {

  private static GenerationConfig.Builder base() {
    return GenerationConfig.builder().decoderStartTokenId(START).eosTokenId(EOS).padTokenId(PAD)
        .maxNewTokens(10);
  }

  /** Item 0 ends after 2 tokens, item 1 after 4. */
  private static TableStep twoItems() {
    return new TableStep()
        .probs("0|", A, 0.6, B, 0.3, EOS, 0.1)
        .probs("0|A", EOS, 0.7, B, 0.3)
        .probs("1|", B, 0.8, A, 0.2)
        .probs("1|B", C, 0.9, EOS, 0.1)
        .probs("1|B C", A, 0.5, EOS, 0.3, B, 0.2)
        .probs("1|B C A", EOS, 0.6, C, 0.4);
  }

  @Test
  void eosStopsOneItemWhileTheOtherContinuesAndTheFinishedOneIsPadded() {
    ContractCheckingStep step = new ContractCheckingStep(twoItems(), START);

    GenerationResult result = new GreedySearch().generate(base().build(), 2, step);

    assertThat(result.item(0).best().tokens()).containsExactly(A, EOS);
    assertThat(result.item(1).best().tokens()).containsExactly(B, C, A, EOS);
    // HF's output layout minus the start column: the shorter row is right-padded with pad_token_id.
    assertThat(result.paddedBestTokens(PAD)).isDeepEqualTo(new int[][] {{A, EOS, PAD, PAD}, {B, C, A, EOS}});
    // greedy score = sum of log-softmax at the chosen tokens: ln 0.6 + ln 0.7 = -0.5108 - 0.3567
    assertThat(result.item(0).best().score()).isCloseTo(Math.log(0.6) + Math.log(0.7), within(1e-6));
    assertThat(result.item(1).best().score())
        .isCloseTo(Math.log(0.8) + Math.log(0.9) + Math.log(0.5) + Math.log(0.6), within(1e-6));
    // Item 0 finished at call 2, so calls 3 and 4 carry item 1 only.
    assertThat(step.calls()).isEqualTo(4);
    assertThat(step.callsWithItem(0)).containsExactly(1, 2);
    assertThat(step.callsWithItem(1)).containsExactly(1, 2, 3, 4);
    assertThat(result.item(0).steps()).isEqualTo(2);
  }

  @Test
  void keepPaddedModeFeedsFinishedRowsThePadTokenLikeHuggingFace() {
    // finished rows are still scored in this mode, so the table needs a row for their prefixes
    ContractCheckingStep step = new ContractCheckingStep(twoItems().fallbackProbs(C, 1.0), START);

    GenerationResult result = new GreedySearch(FinishedRows.KEEP_PADDED).generate(base().build(), 2, step);

    assertThat(result.item(0).best().tokens()).containsExactly(A, EOS);
    assertThat(step.callsWithItem(0)).containsExactly(1, 2, 3, 4);
    // call 3 feeds item 0 its eos, call 4 the pad appended after it
    assertThat(step.callTokens.get(2)[0]).containsExactly(START, A, EOS);
    assertThat(step.callTokens.get(3)[0]).containsExactly(START, A, EOS, PAD);
  }

  @Test
  void maxNewTokensAndMaxLengthCapTheOutput() {
    TableStep neverEnds = new TableStep().fallbackProbs(A, 0.9, EOS, 0.1);

    GenerationResult byNewTokens = new GreedySearch().generate(base().maxNewTokens(3).build(), 1, neverEnds);
    // max_length counts the decoder start token: max_length 3 leaves room for 2 generated tokens.
    GenerationResult byMaxLength = new GreedySearch().generate(
        GenerationConfig.builder().decoderStartTokenId(START).eosTokenId(EOS).maxLength(3).build(), 1, neverEnds);

    assertThat(byNewTokens.item(0).best().tokens()).containsExactly(A, A, A);
    assertThat(byNewTokens.decoderCalls()).isEqualTo(3);
    assertThat(byMaxLength.item(0).best().tokens()).containsExactly(A, A);
  }

  @Test
  void minLengthSuppressesEosUntilReached() {
    TableStep step = new TableStep()
        .probs("", EOS, 0.5, A, 0.3, B, 0.2)
        .probs("A", EOS, 0.6, B, 0.4)
        .probs("A B", EOS, 0.9, C, 0.1);

    List<Integer> free = tokens(new GreedySearch().generate(base().build(), 1, step));
    // min_new_tokens=2: eos banned while generated < 2 -> A (step 1), B (step 2), then EOS
    List<Integer> minNew = tokens(new GreedySearch().generate(base().minNewTokens(2).build(), 1, step));
    // min_length=2 counts the start token: eos banned only while the decoder length (1) < 2
    List<Integer> minLength = tokens(new GreedySearch().generate(base().minLength(2).build(), 1, step));

    assertThat(free).containsExactly(EOS);
    assertThat(minNew).containsExactly(A, B, EOS);
    assertThat(minLength).containsExactly(A, EOS);
  }

  @Test
  void forcedBosReplacesTheFirstToken() {
    TableStep step = new TableStep()
        .probs("", A, 0.9, B, 0.1)
        .probs("B", EOS, 0.8, A, 0.2);

    Hypothesis h = new GreedySearch().generate(base().forcedBosTokenId(B).build(), 1, step).item(0).best();

    assertThat(h.tokens()).containsExactly(B, EOS);
    // forced row is [-inf.., B=0], its log-softmax at B is 0; then ln 0.8
    assertThat(h.score()).isCloseTo(Math.log(0.8), within(1e-6));
  }

  @Test
  void forcedEosIsTheTokenThatReachesMaxLength() {
    TableStep step = new TableStep().fallbackProbs(A, 0.9, B, 0.1);

    List<Integer> out = tokens(new GreedySearch().generate(base().maxNewTokens(3).forcedEosTokenId(EOS).build(), 1, step));

    // max_length = 4; forced when the decoder length is 3, i.e. at the third generated token
    assertThat(out).containsExactly(A, A, EOS);
  }

  @Test
  void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOfSeenTokens() {
    TableStep step = new TableStep()
        .logits("", -5, A, 2.0, B, 1.5)
        // A seen: 2.0 / 2 = 1.0 < B's 1.5 -> B (without penalty A)
        .logits("A", -5, A, 2.0, B, 1.5)
        // A, B seen: A -1.0*2 = -2.0, B -0.4*2 = -0.8, C unseen -0.6 -> C (without penalty B)
        .logits("A B", -5, A, -1.0, B, -0.4, C, -0.6)
        .logits("A B C", -5, EOS, 3.0)
        .logits("A A", -5, EOS, 3.0);

    List<Integer> penalised = tokens(new GreedySearch().generate(base().repetitionPenalty(2.0).build(), 1, step));
    List<Integer> plain = tokens(new GreedySearch().generate(base().build(), 1, step));

    assertThat(penalised).containsExactly(A, B, C, EOS);
    assertThat(plain).containsExactly(A, A, EOS);
  }

  @Test
  void noRepeatNgramBansTheTokenThatWouldRepeatABigram() {
    TableStep step = new TableStep().fallbackProbs(A, 0.5, B, 0.3, EOS, 0.2);

    List<Integer> banned = tokens(new GreedySearch().generate(base().maxNewTokens(5).noRepeatNgramSize(2).build(), 1, step));
    List<Integer> plain = tokens(new GreedySearch().generate(base().maxNewTokens(5).build(), 1, step));

    // [S] -> A; [S A]: no bigram starts with A -> A; [S A A]: (A,A) seen -> ban A -> B;
    // [S A A B]: nothing starts with B -> A; [S A A B A]: (A,A),(A,B) seen -> ban A,B -> EOS
    assertThat(banned).containsExactly(A, A, B, A, EOS);
    assertThat(plain).containsExactly(A, A, A, A, A);
  }

  @Test
  void perItemConfigsAreHonouredInOneBatch() {
    TableStep step = new TableStep().fallbackProbs(A, 0.9, EOS, 0.1);

    GenerationResult r = new GreedySearch().generate(
        List.of(base().maxNewTokens(2).build(), base().maxNewTokens(4).build()), step);

    assertThat(r.item(0).best().tokens()).containsExactly(A, A);
    assertThat(r.item(1).best().tokens()).containsExactly(A, A, A, A);
  }

  @Test
  void refusesBeamConfigsAndLogitsOfTheWrongShape() {
    TableStep step = new TableStep().fallbackProbs(A, 0.9, EOS, 0.1);
    assertThatThrownBy(() -> new GreedySearch().generate(base().numBeams(2).build(), 1, step))
        .hasMessageContaining("num_beams=2").hasMessageContaining("BeamSearch");
    assertThatThrownBy(() -> new GreedySearch().generate(base().build(), 1, rows -> new float[][] {{0f, 1f}, {0f, 1f}}))
        .hasMessageContaining("returned 2 rows for 1 decoder rows");
    assertThatThrownBy(() -> new GreedySearch().generate(base().eosTokenId(7).build(), 1, step))
        .hasMessageContaining("eos_token_id 7").hasMessageContaining("vocabulary of 6");
    assertThatThrownBy(() -> new GreedySearch().generate(base().build(), 1, rows -> new float[][] {{0f, Float.NaN, 0f}}))
        .hasMessageContaining("NaN");
  }

  private static List<Integer> tokens(GenerationResult r) {
    return java.util.Arrays.stream(r.item(0).best().tokens()).boxed().toList();
  }
}
