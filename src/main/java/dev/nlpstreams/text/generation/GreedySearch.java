package dev.nlpstreams.text.generation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Hugging Face greedy decoding ({@code _sample} with {@code do_sample=False}) over a batch: logits
 * processors on the raw logits, first-index argmax, an item stops on an eos id or at
 * {@code max_length}; the others go on. Each item may have its own {@link GenerationConfig}
 * ({@code num_beams} must be 1).
 *
 * <p>Without scores ({@link Scores#NONE}, what Hugging Face's greedy {@code generate} returns too),
 * a row whose processors only mask tokens takes its argmax straight from the float logits
 * ({@link MaskedArgmax}): no copy of the vocabulary to doubles, no log-softmax per step, the same
 * tokens.
 */
public final class GreedySearch {

  /** Whether each sequence gets a score. */
  public enum Scores {
    /** The sum of log-softmax of the processed logits at the chosen tokens. */
    SUM_LOG_PROBS,
    /** No score ({@code NaN}): only the tokens are needed. */
    NONE
  }

  private final FinishedRows finishedRows;
  private final Scores scores;

  public GreedySearch() {
    this(FinishedRows.DROP);
  }

  public GreedySearch(FinishedRows finishedRows) {
    this(finishedRows, Scores.SUM_LOG_PROBS);
  }

  public GreedySearch(FinishedRows finishedRows, Scores scores) {
    this.finishedRows = Objects.requireNonNull(finishedRows);
    this.scores = Objects.requireNonNull(scores);
  }

  public GenerationResult generate(GenerationConfig config, int batchSize, StepFunction step) {
    return generate(Collections.nCopies(batchSize, config), step);
  }

  public GenerationResult generate(List<GenerationConfig> configs, StepFunction step) {
    int n = configs.size();
    LogitsProcessorChain[] chains = new LogitsProcessorChain[n];
    MaskedArgmax[] maskedArgmax = new MaskedArgmax[n];
    int[][] generated = new int[n][];
    int[][] rowTokens = new int[n][];
    boolean[] finished = new boolean[n];
    double[] sums = new double[n];
    int[] steps = new int[n];
    for (int i = 0; i < n; i++) {
      GenerationConfig c = configs.get(i);
      if (c.numBeams() != 1) {
        throw new InvalidGenerationConfigException("item " + i + " asks for num_beams=" + c.numBeams()
            + " but greedy search runs one beam; use BeamSearch or set num_beams to 1");
      }
      chains[i] = LogitsProcessorChain.forConfig(c);
      maskedArgmax[i] = scores == Scores.NONE ? MaskedArgmax.of(chains[i]) : null;
      generated[i] = new int[] {c.decoderStartTokenId()};
      rowTokens[i] = generated[i];
    }
    int[] rowItems = new int[n];
    for (int i = 0; i < n; i++) {
      rowItems[i] = i;
    }
    int vocab = -1;
    int calls = 0;
    while (rowItems.length > 0) {
      int[][] tokens = new int[rowItems.length][];
      for (int r = 0; r < rowItems.length; r++) {
        tokens[r] = rowTokens[rowItems[r]];
      }
      float[][] logits = SearchSupport.call(step, new DecoderRows(rowItems, tokens), vocab);
      calls++;
      if (vocab < 0) {
        vocab = logits[0].length;
        for (int i = 0; i < n; i++) {
          SearchSupport.checkIds(configs.get(i), i, vocab);
        }
      }
      boolean[] finishedBefore = finished.clone();
      for (int r = 0; r < rowItems.length; r++) {
        int i = rowItems[r];
        if (finishedBefore[i]) {
          continue;
        }
        GenerationConfig c = configs.get(i);
        steps[i]++;
        int token;
        if (maskedArgmax[i] != null) {
          token = maskedArgmax[i].next(generated[i], logits[r], r);
        } else {
          double[] processed = SearchSupport.toDoubles(logits[r], r);
          chains[i].process(generated[i], processed);
          token = argmax(processed);
          if (scores == Scores.SUM_LOG_PROBS) {
            SearchSupport.logSoftmax(processed);
            sums[i] += processed[token];
          }
        }
        generated[i] = SearchSupport.append(generated[i], token);
        rowTokens[i] = generated[i];
        if (c.isEos(token) || generated[i].length >= c.maxLength()) {
          finished[i] = true;
        }
      }
      List<Integer> nextItems = new ArrayList<>();
      List<Integer> parents = new ArrayList<>();
      boolean anyLive = false;
      for (int r = 0; r < rowItems.length; r++) {
        int i = rowItems[r];
        anyLive |= !finished[i];
        if (!finished[i] || finishedRows == FinishedRows.KEEP_PADDED) {
          if (finishedBefore[i]) {
            GenerationConfig c = configs.get(i);
            // Like HF, a finished row is fed the pad token; without eos and pad there is nothing better
            // than the start token, and the logits are ignored anyway.
            rowTokens[i] = SearchSupport.append(rowTokens[i], c.padTokenId().orElse(c.decoderStartTokenId()));
          }
          nextItems.add(i);
          parents.add(r);
        }
      }
      if (!anyLive) {
        break;
      }
      rowItems = nextItems.stream().mapToInt(Integer::intValue).toArray();
      step.reorder(parents.stream().mapToInt(Integer::intValue).toArray());
    }
    List<ItemResult> results = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int[] out = java.util.Arrays.copyOfRange(generated[i], 1, generated[i].length);
      double score = scores == Scores.SUM_LOG_PROBS ? sums[i] : Double.NaN;
      results.add(new ItemResult(List.of(new Hypothesis(out, score, score)), steps[i]));
    }
    return new GenerationResult(results, calls);
  }

  /** First index of the maximum, like {@code torch.argmax}; all -infinity gives 0 as torch does. */
  static int argmax(double[] scores) {
    int best = 0;
    for (int v = 1; v < scores.length; v++) {
      if (scores[v] > scores[best]) {
        best = v;
      }
    }
    return best;
  }
}
