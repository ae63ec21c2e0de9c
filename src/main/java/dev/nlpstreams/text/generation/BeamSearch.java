package dev.nlpstreams.text.generation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Hugging Face beam search (the vectorised {@code _beam_search} of transformers 4.50+) over a batch.
 * Per item and step: log-softmax of the logits, logits processors on those log-probabilities, add
 * each beam's running score, keep the top {@code max(2, 1 + #eos) * num_beams} candidates; of those,
 * candidates among the first {@code num_beams} that end in eos or reach {@code max_length} are
 * offered to the item's finished list (scored {@code sum / generatedLength^length_penalty}, the
 * {@code num_beams} best kept) and the best {@code num_beams} others continue. Each item may have its
 * own {@link GenerationConfig}, {@code num_beams} included.
 */
public final class BeamSearch {
  /** HF's score for "no hypothesis yet", for the dummy beams of the first step and finished candidates. */
  static final double PLACEHOLDER = -1.0e9;

  private final FinishedRows finishedRows;
  private final FinishedListener listener;

  /** Test hook: sees every hypothesis offered to an item's finished list, kept or not. */
  interface FinishedListener {
    void offered(int item, Hypothesis hypothesis);
  }

  public BeamSearch() {
    this(FinishedRows.DROP);
  }

  public BeamSearch(FinishedRows finishedRows) {
    this(finishedRows, (item, h) -> { });
  }

  BeamSearch(FinishedRows finishedRows, FinishedListener listener) {
    this.finishedRows = Objects.requireNonNull(finishedRows);
    this.listener = Objects.requireNonNull(listener);
  }

  public GenerationResult generate(GenerationConfig config, int batchSize, StepFunction step) {
    return generate(Collections.nCopies(batchSize, config), step);
  }

  public GenerationResult generate(List<GenerationConfig> configs, StepFunction step) {
    int n = configs.size();
    ItemBeams[] items = new ItemBeams[n];
    List<Integer> rowItems = new ArrayList<>();
    List<int[]> rowTokens = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items[i] = new ItemBeams(i, configs.get(i), i);
      rowItems.add(i);
      rowTokens.add(new int[] {configs.get(i).decoderStartTokenId()});
    }
    int vocab = -1;
    int calls = 0;
    while (!rowItems.isEmpty()) {
      DecoderRows rows = new DecoderRows(rowItems.stream().mapToInt(Integer::intValue).toArray(),
          rowTokens.toArray(new int[0][]));
      float[][] logits = SearchSupport.call(step, rows, vocab);
      calls++;
      if (vocab < 0) {
        vocab = logits[0].length;
        for (ItemBeams item : items) {
          item.checkVocab(vocab);
        }
      }
      double[][] logProbCache = new double[logits.length][];
      boolean anyLive = false;
      for (ItemBeams item : items) {
        if (!item.done) {
          item.step(logits, logProbCache, vocab, listener);
          anyLive |= !item.done;
        }
      }
      if (!anyLive) {
        break;
      }
      List<Integer> parents = new ArrayList<>();
      rowItems.clear();
      rowTokens.clear();
      for (ItemBeams item : items) {
        List<Beam> next;
        if (!item.done) {
          next = item.running;
        } else if (finishedRows == FinishedRows.KEEP_PADDED) {
          next = item.kept;
          for (Beam b : next) {
            b.tokens = SearchSupport.append(b.tokens, item.padForKeptRows());
          }
        } else {
          continue;
        }
        for (Beam b : next) {
          parents.add(b.row);
          b.row = rowItems.size();
          rowItems.add(item.index);
          rowTokens.add(b.tokens);
        }
      }
      step.reorder(parents.stream().mapToInt(Integer::intValue).toArray());
    }
    List<ItemResult> results = new ArrayList<>(n);
    for (ItemBeams item : items) {
      int keep = Math.min(item.config.numReturnSequences(), item.finished.size());
      results.add(new ItemResult(item.finished.subList(0, keep), item.steps));
    }
    return new GenerationResult(results, calls);
  }

  /** A running beam: decoder tokens (start token first), accumulated score and current row. */
  private static final class Beam {
    int[] tokens;
    final double score;
    int row;

    Beam(int[] tokens, double score, int row) {
      this.tokens = tokens;
      this.score = score;
      this.row = row;
    }
  }

  /** Search state of one batch item. */
  private static final class ItemBeams {
    final int index;
    final GenerationConfig config;
    final LogitsProcessorChain chain;
    final int numBeams;
    final int beamsToKeep;
    List<Beam> running = new ArrayList<>();
    List<Beam> kept = List.of();
    final List<Hypothesis> finished = new ArrayList<>();
    /** HF's {@code is_early_stop_heuristic_unsatisfied}: once false it stays false. */
    boolean improvable = true;
    boolean done;
    int steps;

    ItemBeams(int index, GenerationConfig config, int firstRow) {
      this.index = index;
      this.config = config;
      this.chain = LogitsProcessorChain.forConfig(config);
      this.numBeams = config.numBeams();
      // Enough candidates that num_beams stay alive even if the best ones all end in an eos id.
      this.beamsToKeep = Math.max(2, 1 + config.eosTokenIds().size()) * numBeams;
      int[] start = {config.decoderStartTokenId()};
      // HF starts beam 0 at 0 and the identical other beams at -1e9 so the first step expands one
      // beam only; they share the item's single first-step row here.
      for (int b = 0; b < numBeams; b++) {
        running.add(new Beam(start, b == 0 ? 0.0 : PLACEHOLDER, firstRow));
      }
    }

    void checkVocab(int vocab) {
      SearchSupport.checkIds(config, index, vocab);
      if ((long) vocab * numBeams < beamsToKeep) {
        throw new InvalidGenerationConfigException("item " + index + ": num_beams=" + numBeams
            + " needs " + beamsToKeep + " candidates per step but the vocabulary has only " + vocab
            + " tokens; lower num_beams");
      }
    }

    int padForKeptRows() {
      return config.padTokenId().orElse(config.decoderStartTokenId());
    }

    void step(float[][] logits, double[][] cache, int vocab, FinishedListener listener) {
      steps++;
      int k = beamsToKeep;
      double[] topScore = new double[k];
      int[] topIndex = new int[k];
      int count = 0;
      for (int b = 0; b < numBeams; b++) {
        Beam beam = running.get(b);
        double[] lp = cache[beam.row];
        if (lp == null) {
          // Beams sharing a row (first step) share tokens too, so processing once per row is exact.
          lp = SearchSupport.toDoubles(logits[beam.row], beam.row);
          SearchSupport.logSoftmax(lp);
          chain.process(beam.tokens, lp);
          cache[beam.row] = lp;
        }
        for (int v = 0; v < vocab; v++) {
          double s = beam.score + lp[v];
          // Candidates come in increasing flat index (beam * vocab + token); a tie never displaces an
          // earlier candidate, so ties go to the earlier beam, then the lower token id.
          if (count == k && !(s > topScore[k - 1])) {
            continue;
          }
          int p = count < k ? count++ : k - 1;
          while (p > 0 && topScore[p - 1] < s) {
            topScore[p] = topScore[p - 1];
            topIndex[p] = topIndex[p - 1];
            p--;
          }
          topScore[p] = s;
          topIndex[p] = b * vocab + v;
        }
      }

      int[][] candTokens = new int[k][];
      int[] candRow = new int[k];
      boolean[] hit = new boolean[k];
      boolean allHit = true;
      for (int r = 0; r < k; r++) {
        Beam parent = running.get(topIndex[r] / vocab);
        int token = topIndex[r] % vocab;
        candTokens[r] = SearchSupport.append(parent.tokens, token);
        candRow[r] = parent.row;
        hit[r] = config.isEos(token) || candTokens[r].length >= config.maxLength();
        allHit &= hit[r];
      }

      // Finished candidates may only come from the top num_beams ranks (the rest exist so that
      // num_beams unfinished beams always remain).
      for (int r = 0; r < numBeams; r++) {
        if (hit[r]) {
          int generatedLength = candTokens[r].length - 1;
          double score = topScore[r] / Math.pow(generatedLength, config.lengthPenalty());
          Hypothesis h = new Hypothesis(Arrays.copyOfRange(candTokens[r], 1, candTokens[r].length),
              score, topScore[r]);
          listener.offered(index, h);
          offer(h);
        }
      }

      // Running beams: the best num_beams by score, finished candidates pushed down by -1e9 as in HF.
      Integer[] order = new Integer[k];
      double[] penalised = new double[k];
      for (int r = 0; r < k; r++) {
        order[r] = r;
        penalised[r] = hit[r] ? topScore[r] + PLACEHOLDER : topScore[r];
      }
      Arrays.sort(order, (a, b) -> Double.compare(penalised[b], penalised[a]));
      List<Beam> next = new ArrayList<>(numBeams);
      for (int j = 0; j < numBeams; j++) {
        int r = order[j];
        next.add(new Beam(candTokens[r], penalised[r], candRow[r]));
      }

      // Early-stop check after the step (HF _check_early_stop_heuristic): can the best running beam
      // still beat the worst kept hypothesis once num_beams are kept?
      int generatedSoFar = candTokens[0].length - 1;
      double hypotheticalLength = config.earlyStopping() == EarlyStopping.NEVER && config.lengthPenalty() > 0
          ? config.maxLength() - 1 : generatedSoFar;
      double bestPossible = next.get(0).score / Math.pow(hypotheticalLength, config.lengthPenalty());
      double worstKept = finished.size() == numBeams ? finished.get(numBeams - 1).score() : PLACEHOLDER;
      improvable = improvable && bestPossible > worstKept;
      boolean full = config.earlyStopping() == EarlyStopping.TRUE && finished.size() == numBeams;
      if (!improvable || full || allHit) {
        done = true;
        kept = running;
      } else {
        running = next;
      }
    }

    /**
     * HF merges the kept list (empty slots score -1e9) with the new candidates and keeps the top
     * num_beams; ties keep the earlier entry. A score not above -1e9 never beats an empty slot.
     */
    private void offer(Hypothesis h) {
      if (!(h.score() > PLACEHOLDER)) {
        return;
      }
      int p = finished.size();
      while (p > 0 && finished.get(p - 1).score() < h.score()) {
        p--;
      }
      if (p >= numBeams) {
        return;
      }
      finished.add(p, h);
      if (finished.size() > numBeams) {
        finished.remove(numBeams);
      }
    }
  }
}
