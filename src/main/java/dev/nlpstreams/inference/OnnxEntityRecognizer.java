package dev.nlpstreams.inference;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nlpstreams.text.batch.LengthBuckets;
import dev.nlpstreams.text.ner.AggregationStrategy;
import dev.nlpstreams.text.ner.Entity;
import dev.nlpstreams.text.ner.EntityAggregator;
import dev.nlpstreams.text.ner.TextOffsets;
import dev.nlpstreams.text.ner.TokenSpan;
import dev.nlpstreams.text.task.EntityRecognizer;
import dev.nlpstreams.text.task.InferenceException;
import dev.nlpstreams.text.task.ModelIdentity;
import dev.nlpstreams.text.task.ModelRunListener;
import dev.nlpstreams.text.task.NerRequest;
import dev.nlpstreams.text.task.NerResult;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token classification through ONNX Runtime with Hugging Face pipeline semantics: texts longer than
 * the model are split into overlapping windows by the tokenizer (stride), windows of all texts are
 * cut into length buckets, and each bucket is one padded model run under a deadline.
 */
public final class OnnxEntityRecognizer implements EntityRecognizer {

  private static final Logger LOG = LoggerFactory.getLogger(OnnxEntityRecognizer.class);

  private final TokenClassificationModelDir model;
  private final OrtSessions.OpenedSession session;
  private final HuggingFaceTokenizer windowTokenizer;
  private final HuggingFaceTokenizer countingTokenizer;
  private final boolean feedsTokenTypeIds;
  private final InferenceSettings settings;
  private final ModelIdentity identity;
  private volatile ModelRunListener runListener = ModelRunListener.NONE;
  private final Map<AggregationStrategy, EntityAggregator> aggregators =
      new EnumMap<>(AggregationStrategy.class);
  private final RunWatchdog watchdog = new RunWatchdog();
  /** How long close() waits for stopped runs to return before leaving the session open. */
  private static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(10);

  private OnnxEntityRecognizer(TokenClassificationModelDir model, String name,
      OrtSessions.OpenedSession session, HuggingFaceTokenizer windowTokenizer,
      HuggingFaceTokenizer countingTokenizer, InferenceSettings settings) throws OrtException {
    this.model = model;
    this.session = session;
    this.windowTokenizer = windowTokenizer;
    this.countingTokenizer = countingTokenizer;
    this.settings = settings;
    // Only feed token_type_ids when the graph declares it (BERT does, DistilBERT/RoBERTa do not).
    this.feedsTokenTypeIds = session.session().getInputNames().contains("token_type_ids");
    this.identity = new ModelIdentity(name, model.contentHash(), session.device());
    for (AggregationStrategy strategy : AggregationStrategy.values()) {
      aggregators.put(strategy, new EntityAggregator(model.labels(), strategy, Set.of("O"),
          model.wordAwareSubwords()));
    }
  }

  /**
   * Loads a model directory.
   *
   * @param maxLengthOverride window length including special tokens, or 0 for the model's own
   * @param stride tokens of overlap between consecutive windows
   */
  public static OnnxEntityRecognizer load(java.nio.file.Path directory, String name,
      int maxLengthOverride, int stride, InferenceSettings settings) {
    TokenClassificationModelDir model = TokenClassificationModelDir.read(directory,
        settings.precision());
    int maxLength = maxLengthOverride > 0 ? maxLengthOverride : model.maxLength();
    if (stride >= maxLength - 2) {
      throw new ModelLoadException("nlp.ner.window.stride=" + stride + " is too large for "
          + name + " (windows of " + maxLength + " tokens): use a stride below "
          + (maxLength - 2) + ".");
    }
    HuggingFaceTokenizer windows = null;
    HuggingFaceTokenizer counting = null;
    OrtSessions.OpenedSession session = null;
    try {
      windows = HuggingFaceTokenizer.builder().optTokenizerPath(model.tokenizerJson())
          .optTruncation(true).optMaxLength(maxLength).optStride(stride).optPadding(false)
          .optAddSpecialTokens(true).build();
      counting = HuggingFaceTokenizer.builder().optTokenizerPath(model.tokenizerJson())
          .optTruncation(false).optPadding(false).optAddSpecialTokens(false).build();
      session = OrtSessions.open(model.onnxModel(), settings);
      OnnxEntityRecognizer recognizer =
          new OnnxEntityRecognizer(model, name, session, windows, counting, settings);
      LOG.info("Loaded NER model {} ({}, {}, {} labels, windows of {} tokens, stride {}) on {}",
          name, model.contentHash(), model.directory().relativize(model.onnxModel()),
          model.labels().size(), maxLength, stride, session.device());
      return recognizer;
    } catch (IOException | OrtException | RuntimeException e) {
      if (windows != null) {
        windows.close();
      }
      if (counting != null) {
        counting.close();
      }
      if (session != null) {
        session.close();
      }
      if (e instanceof ModelLoadException mle) {
        throw mle;
      }
      throw new ModelLoadException("Cannot load NER model " + name + " from " + directory + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public ModelIdentity identity() {
    return identity;
  }

  /**
   * Runs the model once on a short text, so that the first real batch does not pay for ONNX
   * Runtime's lazy initialisation (allocator arenas, kernel choice).
   */
  public void warmUp() {
    try {
      recognize(List.of(new NerRequest("Warm up in Berlin.", AggregationStrategy.SIMPLE)));
    } catch (InferenceException e) {
      throw new IllegalStateException("The NER model " + identity.name() + " failed its warm-up"
          + " run: " + e.getMessage(), e);
    }
  }

  /** Tells {@code listener} about every model run from now on (the application's metrics). */
  public void onModelRun(ModelRunListener listener) {
    this.runListener = java.util.Objects.requireNonNull(listener, "listener");
  }

  public TokenClassificationModelDir modelDir() {
    return model;
  }

  @Override
  public int countTokens(String text) {
    return countingTokenizer.encode(text, false, false).getIds().length;
  }

  /** One window of one request, ready to batch. */
  private record Window(int request, long[] ids, long[] typeIds, List<TokenSpan> tokens) {}

  @Override
  public List<NerResult> recognize(List<NerRequest> batch) throws InferenceException {
    return recognize(batch, settings.runTimeoutMs());
  }

  @Override
  public List<NerResult> recognize(List<NerRequest> batch, long timeoutMs)
      throws InferenceException {
    long runTimeoutMs = Math.max(1, Math.min(timeoutMs, settings.runTimeoutMs()));
    List<Window> windows = new ArrayList<>();
    int[] windowCount = new int[batch.size()];
    for (int r = 0; r < batch.size(); r++) {
      String text = batch.get(r).text();
      Encoding first = windowTokenizer.encode(text, true, true);
      TextOffsets offsets = TextOffsets.of(text);
      windows.add(window(r, first, offsets, model.unknownToken()));
      for (Encoding overflow : first.getOverflowing()) {
        windows.add(window(r, overflow, offsets, model.unknownToken()));
      }
      windowCount[r] = 1 + first.getOverflowing().length;
    }

    float[][][] logits = new float[windows.size()][][];
    int[] lengths = windows.stream().mapToInt(w -> w.ids().length).toArray();
    for (int[] bucket : LengthBuckets.plan(lengths, settings.runMaxRows(identity.device()),
        settings.runMaxTokens(identity.device()))) {
      runBucket(windows, bucket, logits, runTimeoutMs);
    }

    List<List<List<Entity>>> perRequest = new ArrayList<>();
    for (int r = 0; r < batch.size(); r++) {
      perRequest.add(new ArrayList<>());
    }
    for (int w = 0; w < windows.size(); w++) {
      Window window = windows.get(w);
      NerRequest request = batch.get(window.request());
      perRequest.get(window.request()).add(aggregators.get(request.strategy())
          .aggregate(request.text(), window.tokens(), logits[w]));
    }
    List<NerResult> results = new ArrayList<>(batch.size());
    for (int r = 0; r < batch.size(); r++) {
      NerRequest request = batch.get(r);
      List<List<Entity>> byWindow = perRequest.get(r);
      List<Entity> entities = byWindow.size() == 1 ? byWindow.get(0)
          : aggregators.get(request.strategy()).mergeWindows(byWindow);
      results.add(new NerResult(entities, request.strategy(), windowCount[r], identity));
    }
    return results;
  }

  private static Window window(int request, Encoding encoding, TextOffsets offsets,
      String unknownToken) {
    long[] ids = encoding.getIds();
    String[] pieces = encoding.getTokens();
    long[] special = encoding.getSpecialTokenMask();
    CharSpan[] spans = encoding.getCharTokenSpans();
    List<TokenSpan> tokens = new ArrayList<>(ids.length);
    for (int i = 0; i < ids.length; i++) {
      boolean isSpecial = special[i] == 1 || spans[i] == null;
      // The tokenizer reports offsets in code points; Java strings index UTF-16 code units.
      int start = isSpecial ? 0 : offsets.toUtf16(spans[i].getStart());
      int end = isSpecial ? 0 : offsets.toUtf16(spans[i].getEnd());
      // Hugging Face treats the unknown token specially: its word is the original text slice.
      boolean unknown = !isSpecial && pieces[i].equals(unknownToken);
      tokens.add(new TokenSpan(pieces[i], start, end, isSpecial, unknown));
    }
    return new Window(request, ids, encoding.getTypeIds(), tokens);
  }

  private void runBucket(List<Window> windows, int[] bucket, float[][][] logitsOut,
      long runTimeoutMs) throws InferenceException {
    List<long[]> ids = new ArrayList<>(bucket.length);
    List<long[]> typeIds = new ArrayList<>(bucket.length);
    for (int index : bucket) {
      ids.add(windows.get(index).ids());
      typeIds.add(windows.get(index).typeIds());
    }
    new EncoderRun(session.session(), watchdog, identity, model.padTokenId(), feedsTokenTypeIds,
        null).run(ids, typeIds, settings.runMaxRows(identity.device()), runTimeoutMs,
            runListener, (result, width, mask) -> readLogits(result, bucket, windows, width,
                logitsOut));
  }

  private void readLogits(OrtSession.Result result, int[] bucket, List<Window> windows, int width,
      float[][][] logitsOut) throws InferenceException {
    OnnxValue value = result.get("logits").orElse(null);
    if (!(value instanceof OnnxTensor tensor)) {
      throw new InferenceException("The model has no 'logits' output; outputs are "
          + result.size() + " tensors. Export it for token classification.");
    }
    long[] shape = tensor.getInfo().getShape();
    int labels = (int) shape[2];
    if (labels != model.labels().size()) {
      throw new InferenceException("The model emits " + labels + " labels but config.json"
          + " id2label names " + model.labels().size());
    }
    FloatBuffer buffer = tensor.getFloatBuffer();
    for (int row = 0; row < bucket.length; row++) {
      int length = windows.get(bucket[row]).ids().length;
      float[][] rowLogits = new float[length][labels];
      for (int t = 0; t < length; t++) {
        buffer.position((row * width + t) * labels);
        buffer.get(rowLogits[t]);
      }
      logitsOut[bucket[row]] = rowLogits;
    }
  }

  /**
   * Refuses new runs, stops those in flight and waits for them to return; true when none is left.
   * Call before stopping the threads that use the model, so none of them waits on a long run.
   */
  public boolean stopRuns(java.time.Duration timeout) {
    return watchdog.stopRuns(timeout);
  }

  @Override
  public void close() {
    if (!watchdog.stopRuns(CLOSE_WAIT)) {
      // Closing a session under a running OrtSession.run crashes the JVM: leave it to the OS.
      LOG.error("NER model {}: a run did not return within {} s of being stopped; its session is"
          + " left open", identity.name(), CLOSE_WAIT.toSeconds());
      watchdog.close();
      return;
    }
    watchdog.close();
    session.close();
    windowTokenizer.close();
    countingTokenizer.close();
  }
}
