package dev.nlpstreams.text.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LogitsProcessorTest {
  private static final double NEG_INF = Double.NEGATIVE_INFINITY;

  private static double[] apply(LogitsProcessor p, int[] seq, double... scores) {
    double[] s = scores.clone();
    p.process(seq, s);
    return s;
  }

  @Test
  void noRepeatNgramBansExactlyTheCompletingTokens() {
    // n=2, seq 2 3 4 3: last token 3; earlier bigram starting with 3 is (3,4) -> ban 4 only
    assertThat(apply(new NoRepeatNGramProcessor(2), new int[] {2, 3, 4, 3}, 0, 0, 0, 0, 0, 0))
        .containsExactly(0, 0, 0, 0, NEG_INF, 0);
    // n=3, seq 2 3 4 3: suffix (4,3); trigrams (2,3,4),(3,4,3) do not start with (4,3) -> nothing
    assertThat(apply(new NoRepeatNGramProcessor(3), new int[] {2, 3, 4, 3}, 0, 0, 0, 0, 0, 0))
        .containsExactly(0, 0, 0, 0, 0, 0);
    // n=3, seq 2 3 4 3 4: suffix (3,4); trigram (3,4,3) -> ban 3
    assertThat(apply(new NoRepeatNGramProcessor(3), new int[] {2, 3, 4, 3, 4}, 0, 0, 0, 0, 0, 0))
        .containsExactly(0, 0, 0, NEG_INF, 0, 0);
    // n=1 bans every token already present, the start token included
    assertThat(apply(new NoRepeatNGramProcessor(1), new int[] {2, 5}, 0, 0, 0, 0, 0, 0))
        .containsExactly(0, 0, NEG_INF, 0, 0, NEG_INF);
    // too short to hold an n-gram: HF returns no bans while len + 1 < n
    assertThat(apply(new NoRepeatNGramProcessor(3), new int[] {2}, 0, 0, 0)).containsExactly(0, 0, 0);
  }

  @Test
  void repetitionPenaltyTouchesEachSeenTokenOnce() {
    // token 1 appears twice: 3.0/2 once (not 0.75); token 2 negative: -1.0*2; token 0 = 0 -> 0/2 = 0
    assertThat(apply(new RepetitionPenaltyProcessor(2.0), new int[] {0, 1, 2, 1}, 0.0, 3.0, -1.0, 5.0))
        .containsExactly(0.0, 1.5, -2.0, 5.0);
  }

  @Test
  void badWordsBanSingleTokensAlwaysAndSequencesByPrefixButNeverALoneEos() {
    BadWordsProcessor p = new BadWordsProcessor(List.of(List.of(0), List.of(3, 4), List.of(1)), List.of(1));
    // [0] always banned; [3,4] bans 4 only after 3; [1] is the eos alone and is dropped
    assertThat(apply(p, new int[] {2, 3}, 0, 0, 0, 0, 0)).containsExactly(NEG_INF, 0, 0, 0, NEG_INF);
    assertThat(apply(p, new int[] {2, 4}, 0, 0, 0, 0, 0)).containsExactly(NEG_INF, 0, 0, 0, 0);
  }

  @Test
  void minLengthCountsTheStartTokenAndMinNewTokensDoesNot() {
    MinLengthProcessor minLength = new MinLengthProcessor(3, 0, List.of(1));
    MinLengthProcessor minNew = new MinLengthProcessor(3, 1, List.of(1));
    int[] twoLong = {2, 5};
    int[] threeLong = {2, 5, 5};
    assertThat(apply(minLength, twoLong, 0, 0)[1]).isEqualTo(NEG_INF);
    assertThat(apply(minLength, threeLong, 0, 0)[1]).isEqualTo(0.0);
    assertThat(apply(minNew, threeLong, 0, 0)[1]).isEqualTo(NEG_INF);
    assertThat(apply(minNew, new int[] {2, 5, 5, 5}, 0, 0)[1]).isEqualTo(0.0);
  }

  @Test
  void forcedTokensActAtExactlyOneLength() {
    ForcedTokenProcessor bos = ForcedTokenProcessor.firstToken(2);
    assertThat(apply(bos, new int[] {0}, -1, -2, -3)).containsExactly(NEG_INF, NEG_INF, 0);
    assertThat(apply(bos, new int[] {0, 1}, -1, -2, -3)).containsExactly(-1, -2, -3);
    // max_length 4: forced when the decoder length is 3
    ForcedTokenProcessor eos = ForcedTokenProcessor.lastToken(4, List.of(0, 1));
    assertThat(apply(eos, new int[] {9, 9, 9}, -1, -2, -3)).containsExactly(0, 0, NEG_INF);
    assertThat(apply(eos, new int[] {9, 9}, -1, -2, -3)).containsExactly(-1, -2, -3);
  }

  @Test
  void chainFollowsHuggingFaceOrder() {
    GenerationConfig c = GenerationConfig.builder().decoderStartTokenId(0).eosTokenId(1)
        .repetitionPenalty(1.2).noRepeatNgramSize(3).badWordsIds(List.of(List.of(5))).minNewTokens(2)
        .forcedBosTokenId(4).forcedEosTokenId(1).build();
    List<Class<?>> order = LogitsProcessorChain.forConfig(c).processors().stream()
        .<Class<?>>map(Object::getClass).toList();
    assertThat(order).containsExactly(RepetitionPenaltyProcessor.class, NoRepeatNGramProcessor.class,
        BadWordsProcessor.class, MinLengthProcessor.class, MinLengthProcessor.class,
        ForcedTokenProcessor.class, ForcedTokenProcessor.class);
    // at decoder length 1 forced BOS runs last: only token 4 stays, at 0
    double[] s = {0, 0, 0, 0, 0, 0};
    LogitsProcessorChain.forConfig(c).process(new int[] {0}, s);
    assertThat(s).containsExactly(NEG_INF, NEG_INF, NEG_INF, NEG_INF, 0, NEG_INF);
  }
}
