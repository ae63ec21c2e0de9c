package dev.nlpstreams.inference.seq2seq;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.ModelLoadException;
import dev.nlpstreams.inference.OrtSessions;
import dev.nlpstreams.inference.RunWatchdog;
import dev.nlpstreams.text.batch.LengthBuckets;
import dev.nlpstreams.text.generation.BeamSearch;
import dev.nlpstreams.text.generation.FinishedRows;
import dev.nlpstreams.text.generation.GenerationConfig;
import dev.nlpstreams.text.generation.GenerationResult;
import dev.nlpstreams.text.generation.GreedySearch;
import dev.nlpstreams.text.generation.Hypothesis;
import dev.nlpstreams.text.generation.ItemResult;
import dev.nlpstreams.text.task.InferenceException;
import dev.nlpstreams.text.task.InferenceStoppedException;
import dev.nlpstreams.inference.ModelClosingException;
import org.slf4j.LoggerFactory;
import dev.nlpstreams.text.task.InferenceTimeoutException;
import dev.nlpstreams.text.task.ModelRun;
import dev.nlpstreams.text.task.ModelRunListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A loaded encoder-decoder model: tokenizes, encodes a batch once, and runs greedy or beam search
 * with the decoder as the step function, each batch under the run deadline of its
 * {@link InferenceSettings}. Thread-safe: sessions are shared, per-call state is not.
 * {@link OnnxTextGenerator} puts the family conventions (prefixes, language tokens) in front of it.
 */
public final class Seq2SeqModel implements AutoCloseable {

  private final Seq2SeqModelDir dir;
  private final Seq2SeqConventions conventions;
  private final HuggingFaceTokenizer tokenizer;
  private final OrtSessions.OpenedSession encoder;
  private final OrtSessions.OpenedSession firstStep;
  private final OrtSessions.OpenedSession withPast;
  private final DecoderGraphs decoderGraphs;
  private final InferenceSettings settings;
  private final GenerationConfig defaults;
  private final long padTokenId;
  private final RunWatchdog watchdog = new RunWatchdog();
  private volatile OnnxDecoderStep.NativeLedger ledger = OnnxDecoderStep.NativeLedger.NONE;
  private volatile String runLabel;
  private volatile ModelRunListener runListener = ModelRunListener.NONE;
  /** Tests set it to compare with the batch encoded in one run ({@link #encoderParts}). */
  private volatile boolean encodeInOneRun;
  /** How long close() waits for stopped runs to return before leaving the sessions open. */
  private static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(10);

  private Seq2SeqModel(Seq2SeqModelDir dir, Seq2SeqConventions conventions,
      HuggingFaceTokenizer tokenizer, OrtSessions.OpenedSession encoder,
      OrtSessions.OpenedSession firstStep, OrtSessions.OpenedSession withPast,
      DecoderGraphs decoderGraphs, InferenceSettings settings) {
    this.dir = dir;
    this.conventions = conventions;
    this.tokenizer = tokenizer;
    this.encoder = encoder;
    this.firstStep = firstStep;
    this.withPast = withPast;
    this.decoderGraphs = decoderGraphs;
    this.settings = settings;
    this.defaults = GenerationConfig.fromLayers(defaultLayers());
    Object pad = dir.config().get("pad_token_id");
    this.padTokenId = pad instanceof Number number ? number.longValue() : 0L;
  }

  /** One generated sequence: token ids (no decoder start token), decoded text, score (NaN when greedy). */
  public record Generated(int[] tokenIds, String text, double score) {}

  /**
   * Loads a directory.
   *
   * @param layout the decoder layout to run; null takes the merged decoder when present
   */
  public static Seq2SeqModel load(Path directory, Seq2SeqModelDir.DecoderLayout layout,
      InferenceSettings settings) {
    Seq2SeqModelDir dir = Seq2SeqModelDir.read(directory, layout, settings.precision());
    Seq2SeqConventions conventions = Seq2SeqConventions.read(dir);
    HuggingFaceTokenizer tokenizer = null;
    List<OrtSessions.OpenedSession> opened = new ArrayList<>();
    try {
      tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(dir.tokenizerJson())
          .optTruncation(false).optPadding(false).optAddSpecialTokens(true).build();
      OrtSessions.OpenedSession encoder = OrtSessions.open(dir.encoder(), settings);
      opened.add(encoder);
      OrtSessions.OpenedSession first;
      OrtSessions.OpenedSession past;
      if (dir.layout() == Seq2SeqModelDir.DecoderLayout.MERGED) {
        first = OrtSessions.open(dir.mergedDecoder(), settings);
        opened.add(first);
        past = first;
      } else {
        first = OrtSessions.open(dir.firstStepDecoder(), settings);
        opened.add(first);
        past = OrtSessions.open(dir.withPastDecoder(), settings);
        opened.add(past);
      }
      DecoderGraphs graphs = DecoderGraphs.open(first.session(), past.session(),
          dir.layout() == Seq2SeqModelDir.DecoderLayout.MERGED, settings);
      return new Seq2SeqModel(dir, conventions, tokenizer, encoder, first, past, graphs,
          settings);
    } catch (IOException | RuntimeException e) {
      opened.forEach(OrtSessions.OpenedSession::close);
      if (tokenizer != null) {
        tokenizer.close();
      }
      if (e instanceof ModelLoadException mle) {
        throw mle;
      }
      throw new ModelLoadException("Cannot load seq2seq model from " + directory + ": "
          + e.getMessage(), e);
    }
  }

  /** Generation defaults from config.json and generation_config.json. */
  public GenerationConfig defaults() {
    return defaults;
  }

  /**
   * The model's own generation settings as Hugging Face JSON layers (config.json, then
   * generation_config.json); append pipeline and per-record layers and pass them to
   * {@link GenerationConfig#fromLayers}, which applies the layering rules.
   */
  public List<Map<String, Object>> defaultLayers() {
    return List.of(dir.config(), dir.generationConfig());
  }

  /** Source token ids with the tokenizer's special tokens (for Marian, the trailing eos). */
  public long[] tokenize(String text) {
    return tokenizer.encode(text, true, false).getIds();
  }

  public Seq2SeqModelDir.DecoderLayout layout() {
    return dir.layout();
  }

  /** The device the encoder runs on ("cpu" or "cuda:N"). */
  public String device() {
    return encoder.device();
  }

  Seq2SeqModelDir dir() {
    return dir;
  }

  Seq2SeqConventions conventions() {
    return conventions;
  }

  /** Encodes with the tokenizer's own template ({@code true}) or without special tokens. */
  long[] ids(String text, boolean addSpecialTokens) {
    return tokenizer.encode(text, addSpecialTokens, false).getIds();
  }

  /**
   * Generates for every text (read as it is, with the tokenizer's own template: no task prefix,
   * no language tokens) in one batch with one shared config; results in input order.
   *
   * @throws IllegalStateException when ONNX Runtime fails or the run deadline passes
   */
  public List<Generated> generate(List<String> texts, GenerationConfig config) {
    return generate(texts, config, FinishedRows.DROP);
  }

  /**
   * Like {@link #generate(List, GenerationConfig)}, choosing what happens to the rows of finished
   * items: dropped from the batch (and the KV cache) or kept and padded. Results are the same;
   * the cost differs, which is what the benchmark measures.
   */
  public List<Generated> generate(List<String> texts, GenerationConfig config,
      FinishedRows finishedRows) {
    List<long[]> sources = texts.stream().map(this::tokenize).toList();
    try {
      return run(sources, Collections.nCopies(texts.size(), config),
          List.of(IntStream.range(0, texts.size()).toArray()), finishedRows,
          settings.runTimeoutMs());
    } catch (InferenceException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * Runs the given sources, cut into the given batches (indices into {@code sources}), each item
   * with its own config; results in source order. Items of one batch must share num_beams.
   */
  List<Generated> run(List<long[]> sources, List<GenerationConfig> configs, List<int[]> batches)
      throws InferenceException {
    return run(sources, configs, batches, FinishedRows.DROP, settings.runTimeoutMs());
  }

  /** As {@link #run(List, List, List)}, each batch under min(timeoutMs, the model's deadline). */
  List<Generated> run(List<long[]> sources, List<GenerationConfig> configs, List<int[]> batches,
      long timeoutMs) throws InferenceException {
    return run(sources, configs, batches, FinishedRows.DROP, timeoutMs);
  }

  private List<Generated> run(List<long[]> sources, List<GenerationConfig> configs,
      List<int[]> batches, FinishedRows finishedRows, long timeoutMs) throws InferenceException {
    long runTimeoutMs = Math.max(1, Math.min(timeoutMs, settings.runTimeoutMs()));
    Generated[] out = new Generated[sources.size()];
    for (int[] batch : batches) {
      if (batch.length == 0) {
        continue;
      }
      GenerationResult result = searchBatch(sources, configs, batch, finishedRows, runTimeoutMs);
      for (int i = 0; i < batch.length; i++) {
        Hypothesis best = result.item(i).best();
        out[batch[i]] = new Generated(best.tokens(), decode(best.tokens()), best.score());
      }
    }
    return Arrays.asList(out);
  }

  /** Every hypothesis the search keeps, for all sources in one batch (tests look beyond the best). */
  List<ItemResult> search(List<long[]> sources, List<GenerationConfig> configs)
      throws InferenceException {
    return searchBatch(sources, configs, IntStream.range(0, sources.size()).toArray(),
        FinishedRows.DROP, settings.runTimeoutMs()).items();
  }

  private GenerationResult searchBatch(List<long[]> sources, List<GenerationConfig> configs,
      int[] batch, FinishedRows finishedRows, long runTimeoutMs) throws InferenceException {
    int items = batch.length;
    int sourceLength = 0;
    for (int index : batch) {
      sourceLength = Math.max(sourceLength, sources.get(index).length);
    }
    String what = items + " source(s) of up to " + sourceLength + " tokens";
    try (OrtSession.RunOptions runOptions = new OrtSession.RunOptions()) {
      RunWatchdog.Deadline deadline;
      try {
        deadline = watchdog.arm(runOptions, runTimeoutMs);
      } catch (ModelClosingException e) {
        throw new InferenceStoppedException(e.getMessage(), e);
      }
      try (deadline) {
        List<long[]> rows = new ArrayList<>(items);
        List<GenerationConfig> batchConfigs = new ArrayList<>(items);
        for (int index : batch) {
          rows.add(sources.get(index));
          batchConfigs.add(configs.get(index));
        }
        long[] mask = paddedMask(rows, sourceLength);
        int[] lengths = rows.stream().mapToInt(ids -> ids.length).toArray();
        List<int[]> encoderParts = encoderParts(lengths, settings.runMaxTokens(device()));
        long started = System.nanoTime();
        OnnxDecoderStep encodedStep;
        long encodedTokens = 0;
        if (encoderParts.size() == 1 || encodeInOneRun) {
          encodedStep = OnnxDecoderStep.afterEncoderRun(dir, decoderGraphs,
              encode(paddedIds(rows, sourceLength), mask, items, sourceLength, runOptions), mask,
              items, sourceLength, runOptions, ledger);
          encodedTokens = (long) items * sourceLength;
        } else {
          encodedStep = OnnxDecoderStep.afterEncoderStates(dir, decoderGraphs,
              encodeInParts(rows, lengths, encoderParts, sourceLength, runOptions), mask, items,
              sourceLength, runOptions, ledger);
          for (int[] part : encoderParts) {
            encodedTokens += (long) part.length * longest(lengths, part);
          }
        }
        boolean beams = batchConfigs.stream().anyMatch(c -> c.numBeams() > 1);
        GenerationResult result;
        try (OnnxDecoderStep step = encodedStep) {
          result = beams
              ? new BeamSearch(finishedRows).generate(batchConfigs, step)
              // Greedy outputs carry no score (Hugging Face's greedy generate returns none either):
              // the search then needs an argmax per row, not a log-softmax over the vocabulary.
              : new GreedySearch(finishedRows, GreedySearch.Scores.NONE)
                  .generate(batchConfigs, step);
        }
        long realTokens = 0;
        for (int index : batch) {
          realTokens += sources.get(index).length;
        }
        runListener.modelRun(new ModelRun(runLabel, device(), items, settings.runMaxRows(device()),
            realTokens, encodedTokens, System.nanoTime() - started, result.decoderCalls()));
        return result;
      } catch (OrtException | OrtRunFailure e) {
        if (deadline.stopped()) {
          throw new InferenceStoppedException("Generation stopped: the model is closing", e);
        }
        if (deadline.fired()) {
          throw new InferenceTimeoutException("Generation for " + what + " exceeded its"
              + " deadline of " + runTimeoutMs + " ms (nlp.generation.run.timeout.ms)"
              + " and was cancelled", e);
        }
        throw new InferenceException("Generation for " + what + " failed: " + e.getMessage(), e);
      }
    } catch (OrtException e) {
      throw new InferenceException("Cannot prepare a model run: " + e.getMessage(), e);
    }
  }

  /**
   * The encoder runs of one generation batch: its rows (by source length) cut into length buckets.
   * The decoder takes the whole batch at once, because a decoder step costs about the same
   * whatever the sources' lengths and has a large fixed part (every weight is read once per step,
   * 9 of 29 ms with 32 rows of the opus-mt-en-de shape), while the encoder's cost is its padded
   * tokens and a run's fixed part is small. Encoding the batch in one run padded every source to
   * the longest: 23% of the encoder's work in `bench translate` (a fifth of the whole run) was
   * padding.
   *
   * @return parts of {@code lengths}' indices; one part when the whole batch is as cheap
   */
  public static List<int[]> encoderParts(int[] lengths, long maxPaddedTokens) {
    return LengthBuckets.plan(lengths, Math.max(1, lengths.length), maxPaddedTokens,
        LengthBuckets.DEFAULT_RUN_OVERHEAD_TOKENS);
  }

  private static int longest(int[] lengths, int[] part) {
    int longest = 0;
    for (int i : part) {
      longest = Math.max(longest, lengths[i]);
    }
    return longest;
  }

  private long[] paddedIds(List<long[]> rows, int width) {
    long[] ids = new long[rows.size() * width];
    Arrays.fill(ids, padTokenId);
    for (int r = 0; r < rows.size(); r++) {
      System.arraycopy(rows.get(r), 0, ids, r * width, rows.get(r).length);
    }
    return ids;
  }

  private static long[] paddedMask(List<long[]> rows, int width) {
    long[] mask = new long[rows.size() * width];
    for (int r = 0; r < rows.size(); r++) {
      Arrays.fill(mask, r * width, r * width + rows.get(r).length, 1L);
    }
    return mask;
  }

  /**
   * The batch's encoder states ({@code [rows, sourceLength, hidden]}) from one encoder run per
   * part, each padded only to its own longest source. A row's states do not depend on how far it
   * was padded (padded positions are masked out of attention), and the decoder never reads a
   * padded position's state (the cross-attention mask), so positions past a part's width stay
   * zero. The states are written into a direct buffer that the tensor uses as it is.
   */
  private OnnxTensor encodeInParts(List<long[]> rows, int[] lengths, List<int[]> parts,
      int sourceLength, OrtSession.RunOptions runOptions) throws OrtException {
    FloatBuffer states = null;
    int hidden = 0;
    for (int[] part : parts) {
      List<long[]> partRows = new ArrayList<>(part.length);
      for (int row : part) {
        partRows.add(rows.get(row));
      }
      int width = longest(lengths, part);
      try (OrtSession.Result encoded = encode(paddedIds(partRows, width),
          paddedMask(partRows, width), part.length, width, runOptions)) {
        OnnxTensor output = (OnnxTensor) encoded.get("last_hidden_state").orElseThrow(
            () -> new IllegalStateException("The encoder has no 'last_hidden_state' output"));
        if (states == null) {
          hidden = (int) output.getInfo().getShape()[2];
          // allocateDirect zeroes the memory.
          states = ByteBuffer.allocateDirect(Math.toIntExact(
                  (long) rows.size() * sourceLength * hidden * Float.BYTES))
              .order(ByteOrder.nativeOrder()).asFloatBuffer();
        }
        FloatBuffer values = output.getFloatBuffer();
        for (int j = 0; j < part.length; j++) {
          states.put(part[j] * sourceLength * hidden, values, j * width * hidden, width * hidden);
        }
      }
    }
    return OnnxTensor.createTensor(OrtEnvironment.getEnvironment(), states,
        new long[] {rows.size(), sourceLength, hidden});
  }

  /** The encoder's run; its {@code last_hidden_state} goes to the decoder without a copy. */
  private OrtSession.Result encode(long[] inputIds, long[] mask, int items, int sourceLength,
      OrtSession.RunOptions runOptions) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long[] shape = {items, sourceLength};
    try (OnnxTensor idsTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(inputIds), shape);
        OnnxTensor maskTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape)) {
      return encoder.session().run(Map.of("input_ids", idsTensor, "attention_mask", maskTensor),
          runOptions);
    }
  }

  /** Text of generated ids: special tokens (eos, language tokens) removed. */
  String decode(int[] tokenIds) {
    long[] asLong = Arrays.stream(tokenIds).asLongStream().toArray();
    return tokenizer.decode(asLong, true);
  }

  /**
   * Tells {@code listener} about every generation run from now on, naming the model
   * {@code modelName} (the application's metrics).
   */
  public void onModelRun(String modelName, ModelRunListener listener) {
    this.runLabel = java.util.Objects.requireNonNull(modelName, "modelName");
    this.runListener = java.util.Objects.requireNonNull(listener, "listener");
  }

  /** The decoder graphs' facts (tests read which inputs a re-ranking gathers). */
  DecoderGraphs decoderGraphsForTest() {
    return decoderGraphs;
  }

  /** Encodes every batch in one run, padded to its longest source (tests compare with it). */
  void encodeInOneRun(boolean oneRun) {
    this.encodeInOneRun = oneRun;
  }

  /** Reports every native value the decoder loop opens and closes (tests count them). */
  void nativeLedger(OnnxDecoderStep.NativeLedger ledger) {
    this.ledger = java.util.Objects.requireNonNull(ledger);
  }

  /** Refuses new runs, stops those in flight and waits for them; true when none is left. */
  public boolean stopRuns(java.time.Duration timeout) {
    return watchdog.stopRuns(timeout);
  }

  @Override
  public void close() {
    if (!watchdog.stopRuns(CLOSE_WAIT)) {
      // Closing a session under a running OrtSession.run crashes the JVM: leave it to the OS.
      LoggerFactory.getLogger(Seq2SeqModel.class).error("Seq2seq model {}: a run did not return"
          + " within {} s of being stopped; its sessions are left open", dir.directory(),
          CLOSE_WAIT.toSeconds());
      watchdog.close();
      return;
    }
    watchdog.close();
    decoderGraphs.close();
    encoder.close();
    firstStep.close();
    if (withPast != firstStep) {
      withPast.close();
    }
    tokenizer.close();
  }
}
