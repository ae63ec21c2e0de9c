package dev.nlpstreams.text.generation;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Deterministic pseudo-random decoder: logits are a function of (item seed, decoder tokens) only,
 * with eos growing likelier with length so that sequences end at varied lengths.
 */
final class RandomStep implements StepFunction {
  private final long[] itemSeeds;
  private final int vocab;
  private final int eos;

  RandomStep(long[] itemSeeds, int vocab, int eos) {
    this.itemSeeds = itemSeeds.clone();
    this.vocab = vocab;
    this.eos = eos;
  }

  @Override
  public float[][] next(DecoderRows rows) {
    float[][] out = new float[rows.size()][vocab];
    for (int r = 0; r < rows.size(); r++) {
      int[] t = rows.tokens(r);
      SplittableRandom rnd = new SplittableRandom(itemSeeds[rows.item(r)] * 1_000_003L + Arrays.hashCode(t));
      for (int v = 0; v < vocab; v++) {
        // Quantised to eighths so that exact ties between tokens occur and the tie rule is exercised.
        out[r][v] = (float) (Math.floor(rnd.nextDouble(-3, 3) * 8) / 8);
      }
      out[r][eos] += (float) (0.6 * t.length - 2.0);
    }
    return out;
  }
}
