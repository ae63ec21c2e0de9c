package dev.nlpstreams.inference.seq2seq;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.seq2seq.Seq2SeqModelDir.DecoderLayout;
import dev.nlpstreams.text.generation.FinishedRows;
import dev.nlpstreams.text.generation.GenerationConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The decoder loop keeps its cache in ONNX Runtime values between steps; this counts every one it
 * opens and closes over thousands of real decoder steps (greedy and beam search, finished rows
 * dropped and kept, both decoder layouts) and checks none is left open or closed twice, and that the
 * number held at once stays small however long generation runs.
 */
class DecoderCacheLifecycleTest {

  private static final int MIN_DECODER_CALLS = 2_000;

  /** Counts owners; fails on a second close and checks an owner's values are closed with it. */
  private static final class CountingLedger implements OnnxDecoderStep.NativeLedger {
    final Set<AutoCloseable> open = Collections.newSetFromMap(new IdentityHashMap<>());
    /** The values of every owner seen, read while open (a closed Result cannot be iterated). */
    final List<OnnxValue> values = new ArrayList<>();
    long opened;
    long closed;
    int peak;
    String problem;

    @Override
    public void opened(AutoCloseable owner) {
      opened++;
      if (!open.add(owner)) {
        problem = "opened twice: " + owner;
      }
      peak = Math.max(peak, open.size());
      if (owner instanceof OrtSession.Result result) {
        result.forEach(entry -> values.add(entry.getValue()));
      } else if (owner instanceof OnnxValue value) {
        values.add(value);
      }
    }

    @Override
    public void closed(AutoCloseable owner) {
      closed++;
      if (!open.remove(owner)) {
        problem = "closed but not open (twice?): " + owner;
      }
    }
  }

  @ParameterizedTest
  @EnumSource(DecoderLayout.class)
  void everyNativeValueIsClosedExactlyOnceAcrossThousandsOfSteps(DecoderLayout layout) {
    CountingLedger ledger = new CountingLedger();
    AtomicLong decoderCalls = new AtomicLong();
    try (Seq2SeqModel model = Seq2SeqModel.load(Seq2SeqModelTest.MODEL, layout,
        InferenceSettings.cpuDefaults())) {
      model.nativeLedger(ledger);
      model.onModelRun("lifecycle", run -> decoderCalls.addAndGet(run.generationSteps()));
      List<GenerationConfig> configs = List.of(
          with(model, Map.of("max_new_tokens", 40)),
          with(model, Map.of("max_new_tokens", 40, "num_beams", 4)),
          with(model, Map.of("max_new_tokens", 40, "num_beams", 3, "no_repeat_ngram_size", 2)));
      int rounds = 0;
      while (decoderCalls.get() < MIN_DECODER_CALLS) {
        GenerationConfig config = configs.get(rounds % configs.size());
        FinishedRows rows = rounds % 2 == 0 ? FinishedRows.DROP : FinishedRows.KEEP_PADDED;
        List<Seq2SeqModel.Generated> out = model.generate(Seq2SeqModelTest.TEXTS, config, rows);
        assertThat(out).hasSize(Seq2SeqModelTest.TEXTS.size());
        assertThat(ledger.problem).isNull();
        assertThat(ledger.open).as("values left open after generate #%d", rounds).isEmpty();
        rounds++;
      }
    }
    assertThat(decoderCalls.get()).isGreaterThanOrEqualTo(MIN_DECODER_CALLS);
    assertThat(ledger.opened).isEqualTo(ledger.closed);
    // The encoder run, the mask, the first step's run (cross-attention cache), the current step's
    // run and the one being replaced: the cache is never copied, so a few owners suffice.
    assertThat(ledger.peak).isBetween(2, 5);
    // Every value of every owner is closed.
    assertThat(ledger.values).isNotEmpty().allMatch(OnnxValue::isClosed);
  }

  @ParameterizedTest
  @EnumSource(DecoderLayout.class)
  void aRunCutShortByItsDeadlineLeavesNothingOpen(DecoderLayout layout) {
    CountingLedger ledger = new CountingLedger();
    try (Seq2SeqModel model = Seq2SeqModel.load(Seq2SeqModelTest.MODEL, layout,
        InferenceSettings.cpuDefaults())) {
      model.nativeLedger(ledger);
      GenerationConfig config = with(model, Map.of("max_new_tokens", 200, "num_beams", 4,
          "min_new_tokens", 200));
      List<long[]> sources = Seq2SeqModelTest.TEXTS.stream().map(model::tokenize).toList();
      List<GenerationConfig> configs = Collections.nCopies(sources.size(), config);
      int[] all = java.util.stream.IntStream.range(0, sources.size()).toArray();
      // Deadlines from short to longer: some fire before the first decoder step, the ones that
      // matter fire after the loop holds cache values.
      boolean cutWhileHoldingCache = false;
      for (long timeoutMs = 2; timeoutMs <= 2_000 && !cutWhileHoldingCache; timeoutMs *= 2) {
        long openedBefore = ledger.opened;
        try {
          model.run(sources, configs, List.of(all), timeoutMs);
        } catch (dev.nlpstreams.text.task.InferenceException e) {
          cutWhileHoldingCache = ledger.opened - openedBefore > 3;
        }
        assertThat(ledger.problem).isNull();
        assertThat(ledger.open).isEmpty();
      }
      assertThat(cutWhileHoldingCache).as("a deadline fired mid-generation").isTrue();
    }
    assertThat(ledger.values).allMatch(OnnxValue::isClosed);
    assertThat(ledger.opened).isPositive().isEqualTo(ledger.closed);
  }

  /**
   * Optimum's merged decoder returns the unchanged cross-attention cache from every with-past run
   * (an Identity); the step hands the cached tensor in as that output, so ONNX Runtime writes no
   * copy. Checked on the runs' results: each with-past run's cross-attention outputs are not its
   * own values but the very tensors an earlier run produced, and the tokens equal the split
   * layout's (whose with-past graph has no such outputs).
   */
  @org.junit.jupiter.api.Test
  void theMergedDecoderGetsItsCrossAttentionCacheBackWithoutACopy() {
    List<OrtSession.Result> results = new ArrayList<>();
    Set<OnnxValue> producedEarlier = Collections.newSetFromMap(new IdentityHashMap<>());
    int[] handedBack = new int[2];
    OnnxDecoderStep.NativeLedger watcher = new OnnxDecoderStep.NativeLedger() {
      @Override
      public void opened(AutoCloseable owner) {
        if (!(owner instanceof OrtSession.Result result)) {
          return;
        }
        results.add(result);
        int i = 0;
        for (Map.Entry<String, OnnxValue> entry : result) {
          boolean cross = entry.getKey().matches("present\\.\\d+\\.encoder\\.(key|value)");
          if (cross && !result.isResultOwner(i)) {
            handedBack[0]++;
            if (producedEarlier.contains(entry.getValue())) {
              handedBack[1]++;
            }
          } else if (result.isResultOwner(i)) {
            producedEarlier.add(entry.getValue());
          }
          i++;
        }
      }

      @Override
      public void closed(AutoCloseable owner) {
      }
    };
    GenerationConfig greedy;
    List<Seq2SeqModel.Generated> fromMerged;
    int layers;
    try (Seq2SeqModel model = Seq2SeqModel.load(Seq2SeqModelTest.MODEL, DecoderLayout.MERGED,
        InferenceSettings.cpuDefaults())) {
      model.nativeLedger(watcher);
      greedy = with(model, Map.of("max_new_tokens", 12, "min_new_tokens", 12));
      fromMerged = model.generate(Seq2SeqModelTest.TEXTS, greedy, FinishedRows.KEEP_PADDED);
      layers = Seq2SeqModelDir.read(Seq2SeqModelTest.MODEL, DecoderLayout.MERGED).decoderLayers();
    }
    // 12 tokens: the first run computes the cache, the 11 after it get it back (key and value).
    assertThat(handedBack[0]).isEqualTo(11 * 2 * layers);
    assertThat(handedBack[1]).isEqualTo(handedBack[0]);
    try (Seq2SeqModel split = Seq2SeqModel.load(Seq2SeqModelTest.MODEL, DecoderLayout.SPLIT,
        InferenceSettings.cpuDefaults())) {
      List<Seq2SeqModel.Generated> fromSplit = split.generate(Seq2SeqModelTest.TEXTS, greedy,
          FinishedRows.KEEP_PADDED);
      assertThat(fromMerged.stream().map(g -> java.util.Arrays.toString(g.tokenIds())).toList())
          .isEqualTo(fromSplit.stream().map(g -> java.util.Arrays.toString(g.tokenIds())).toList());
    }
  }

  /**
   * Beam search re-ranks rows at every step, but a row's source only changes when the beams
   * first fan out or an item finishes and its rows are dropped: only then does the gather copy the
   * encoder states and the cross-attention cache; every other step gathers the self-attention
   * cache alone. The outputs stay those the goldens check (MarianBeamSearchTest); here the gathers
   * are counted by their number of outputs.
   */
  @org.junit.jupiter.api.Test
  void beamReRankingCopiesTheSourceStateOnlyWhenRowsChangeSource() {
    int[] gathers = new int[2];
    int[] sizes = new int[2];
    try (Seq2SeqModel model = Seq2SeqModel.load(Seq2SeqModelTest.MODEL, DecoderLayout.MERGED,
        InferenceSettings.cpuDefaults())) {
      sizes[0] = model.decoderGraphsForTest().rowInputs.size();
      sizes[1] = model.decoderGraphsForTest().decoderCacheRowInputs.size();
      model.nativeLedger(new OnnxDecoderStep.NativeLedger() {
        @Override
        public void opened(AutoCloseable owner) {
          if (owner instanceof OrtSession.Result result
              && result.get(RowGatherGraph.output(0)).isPresent()) {
            gathers[result.size() == sizes[0] ? 0 : 1]++;
          }
        }

        @Override
        public void closed(AutoCloseable owner) {
        }
      });
      List<Seq2SeqModel.Generated> out = model.generate(Seq2SeqModelTest.TEXTS,
          with(model, Map.of("max_new_tokens", 20, "num_beams", 4)), FinishedRows.DROP);
      assertThat(out).hasSize(Seq2SeqModelTest.TEXTS.size());
    }
    assertThat(sizes[1]).isPositive().isLessThan(sizes[0]);
    // The fan-out, and at most one more per item that finishes before the last one.
    assertThat(gathers[0]).isBetween(1, Seq2SeqModelTest.TEXTS.size());
    assertThat(gathers[1]).isGreaterThan(gathers[0]);
  }

  private static GenerationConfig with(Seq2SeqModel model, Map<String, Object> settings) {
    List<Map<String, ?>> layers = new ArrayList<>(model.defaultLayers());
    layers.add(settings);
    return GenerationConfig.fromLayers(layers);
  }
}
