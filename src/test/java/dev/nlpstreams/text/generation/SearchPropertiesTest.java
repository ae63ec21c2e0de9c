package dev.nlpstreams.text.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Properties over many pseudo-random decoders (fixed seeds, so failures reproduce). */
class SearchPropertiesTest {
  private static final int VOCAB = 8;
  private static final int EOS = 1;
  private static final int START = 2;
  private static final int PAD = 0;
  private static final int TRIALS = 300;

  private static GenerationConfig.Builder randomBase(SplittableRandom rnd) {
    return GenerationConfig.builder().decoderStartTokenId(START).eosTokenId(EOS).padTokenId(PAD)
        .maxNewTokens(1 + rnd.nextInt(8));
  }

  /** Processors that only set -infinity, which greedy and beam search apply to the same effect. */
  private static GenerationConfig.Builder maybeMaskingProcessors(GenerationConfig.Builder b, SplittableRandom rnd) {
    if (rnd.nextInt(3) == 0) {
      b.noRepeatNgramSize(1 + rnd.nextInt(3));
    }
    if (rnd.nextInt(3) == 0) {
      b.minNewTokens(rnd.nextInt(4));
    }
    if (rnd.nextInt(4) == 0) {
      b.forcedBosTokenId(3 + rnd.nextInt(VOCAB - 3));
    }
    if (rnd.nextInt(4) == 0) {
      b.forcedEosTokenId(EOS);
    }
    return b;
  }

  private static boolean hasProcessors(GenerationConfig c) {
    return !LogitsProcessorChain.forConfig(c).processors().isEmpty();
  }

  @Test
  void oneBeamEqualsGreedy() {
    SplittableRandom rnd = new SplittableRandom(11);
    for (int trial = 0; trial < TRIALS; trial++) {
      GenerationConfig.Builder b = maybeMaskingProcessors(randomBase(rnd), rnd);
      // early_stopping "never" with a positive length penalty looks ahead to max_length and may beat
      // greedy on purpose; every other combination must reduce to greedy.
      b.earlyStopping(rnd.nextBoolean() ? EarlyStopping.TRUE : EarlyStopping.FALSE)
          .lengthPenalty(rnd.nextDouble(-1, 2));
      GenerationConfig cfg = b.build();
      StepFunction step = new RandomStep(new long[] {trial}, VOCAB, EOS);

      Hypothesis greedy = new GreedySearch().generate(cfg, 1, step).item(0).best();
      Hypothesis beam = new BeamSearch().generate(cfg, 1, step).item(0).best();

      assertThat(beam.tokens()).as("trial %d %s", trial, cfg).containsExactly(greedy.tokens());
      if (!hasProcessors(cfg)) {
        // greedy normalises after masking, beam before; without masks both are the model's log-prob
        assertThat(beam.sumLogProbs()).as("trial %d", trial).isCloseTo(greedy.sumLogProbs(), within(1e-9));
      }
    }
  }

  @Test
  void returnedHypothesesAreTheBestOfferedSortedAndScoredByTheLengthPenalty() {
    SplittableRandom rnd = new SplittableRandom(22);
    for (int trial = 0; trial < TRIALS; trial++) {
      int beams = 2 + rnd.nextInt(3);
      GenerationConfig cfg = randomBase(rnd).numBeams(beams).numReturnSequences(1 + rnd.nextInt(beams))
          .lengthPenalty(rnd.nextDouble(-1, 2.5))
          .earlyStopping(EarlyStopping.values()[rnd.nextInt(3)]).build();
      RandomStep model = new RandomStep(new long[] {trial}, VOCAB, EOS);
      List<Hypothesis> offered = new ArrayList<>();

      ItemResult r = new BeamSearch(FinishedRows.DROP, (item, h) -> offered.add(h)).generate(cfg, 1, model).item(0);

      double maxOffered = offered.stream().mapToDouble(Hypothesis::score).max().orElseThrow();
      assertThat(r.hypotheses()).as("trial %d", trial).hasSize(cfg.numReturnSequences());
      assertThat(r.best().score()).as("trial %d", trial).isEqualTo(maxOffered);
      for (int i = 1; i < r.hypotheses().size(); i++) {
        assertThat(r.hypotheses().get(i).score()).isLessThanOrEqualTo(r.hypotheses().get(i - 1).score());
      }
      for (Hypothesis h : r.hypotheses()) {
        // recompute from the model: sum of log-softmax along the tokens / length^lp
        double sum = modelLogProb(model, trial, h.tokens());
        assertThat(h.sumLogProbs()).as("trial %d", trial).isCloseTo(sum, within(1e-9));
        assertThat(h.score()).isCloseTo(sum / Math.pow(h.length(), cfg.lengthPenalty()), within(1e-9));
        boolean endsInEos = h.tokens()[h.length() - 1] == EOS;
        assertThat(endsInEos || h.length() == cfg.maxNewTokens()).as("finished by eos or max length").isTrue();
      }
    }
  }

  @Test
  void batchedSearchEqualsSearchingEachItemAloneAndFinishedItemsGetNoRows() {
    SplittableRandom rnd = new SplittableRandom(33);
    for (int trial = 0; trial < 100; trial++) {
      int n = 1 + rnd.nextInt(5);
      boolean beam = rnd.nextBoolean();
      List<GenerationConfig> configs = new ArrayList<>();
      long[] seeds = new long[n];
      for (int i = 0; i < n; i++) {
        GenerationConfig.Builder b = maybeMaskingProcessors(randomBase(rnd), rnd).repetitionPenalty(rnd.nextBoolean() ? 1.0 : 1.3);
        if (beam) {
          int beams = 1 + rnd.nextInt(3);
          b.numBeams(beams).numReturnSequences(1 + rnd.nextInt(beams)).lengthPenalty(rnd.nextDouble(-1, 2))
              .earlyStopping(EarlyStopping.values()[rnd.nextInt(3)]);
        }
        configs.add(b.build());
        seeds[i] = rnd.nextLong();
      }
      for (FinishedRows mode : FinishedRows.values()) {
        ContractCheckingStep batchStep = new ContractCheckingStep(new RandomStep(seeds, VOCAB, EOS), START);
        GenerationResult batched = search(beam, mode, configs, batchStep);
        for (int i = 0; i < n; i++) {
          ContractCheckingStep aloneStep = new ContractCheckingStep(new RandomStep(new long[] {seeds[i]}, VOCAB, EOS), START);
          GenerationResult alone = search(beam, mode, List.of(configs.get(i)), aloneStep);

          assertThat(batched.item(i)).as("trial %d item %d %s", trial, i, mode).isEqualTo(alone.item(0));
          List<Integer> expectedCalls = range(aloneStep.calls());
          if (mode == FinishedRows.DROP) {
            // rows of item i appear in exactly the calls a search of i alone needs, then never again
            assertThat(batchStep.callsWithItem(i)).as("trial %d item %d", trial, i).isEqualTo(expectedCalls);
          } else {
            assertThat(batchStep.callsWithItem(i)).isEqualTo(range(batchStep.calls()));
          }
          assertThat(batched.item(i).steps()).isEqualTo(aloneStep.calls());
        }
      }
    }
  }

  private static GenerationResult search(boolean beam, FinishedRows mode, List<GenerationConfig> configs, StepFunction step) {
    return beam ? new BeamSearch(mode).generate(configs, step) : new GreedySearch(mode).generate(configs, step);
  }

  private static List<Integer> range(int calls) {
    List<Integer> out = new ArrayList<>();
    for (int c = 1; c <= calls; c++) {
      out.add(c);
    }
    return out;
  }

  private static double modelLogProb(StepFunction model, int item, int[] generated) {
    double sum = 0;
    int[] prefix = {START};
    for (int t : generated) {
      float[] logits = model.next(new DecoderRows(new int[] {0}, new int[][] {prefix}))[0];
      double[] lp = new double[logits.length];
      for (int v = 0; v < lp.length; v++) {
        lp[v] = logits[v];
      }
      double max = Arrays.stream(lp).max().orElseThrow();
      double lse = max + Math.log(Arrays.stream(lp).map(x -> Math.exp(x - max)).sum());
      sum += lp[t] - lse;
      prefix = Arrays.copyOf(prefix, prefix.length + 1);
      prefix[prefix.length - 1] = t;
    }
    return sum;
  }
}
