package dev.nlpstreams.inference;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.nlpstreams.text.batch.LengthBuckets;
import dev.nlpstreams.text.embedding.PoolingConfig;
import dev.nlpstreams.text.embedding.SentenceEmbedder;
import dev.nlpstreams.text.embedding.SentenceEmbedding;
import dev.nlpstreams.text.embedding.SentencePooler;
import dev.nlpstreams.text.task.InferenceException;
import dev.nlpstreams.text.task.ModelIdentity;
import dev.nlpstreams.text.task.ModelRunListener;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sentence embeddings through ONNX Runtime with Sentence-Transformers semantics: each text is cut to
 * the model's length (its [SEP] kept), texts are cut into length buckets, each bucket is one padded
 * model run under a deadline, and the token vectors are pooled as {@code 1_Pooling/config.json} says
 * (mean without one), then normalised when asked.
 */
public final class OnnxSentenceEmbedder implements SentenceEmbedder {

  private static final Logger LOG = LoggerFactory.getLogger(OnnxSentenceEmbedder.class);
  /** How long close() waits for stopped runs to return before leaving the session open. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
  /** Token-vector outputs of feature-extraction exports, in order of preference. */
  private static final List<String> TOKEN_VECTOR_OUTPUTS =
      List.of("last_hidden_state", "token_embeddings");

  private final SentenceEmbeddingModelDir model;
  private final OrtSessions.OpenedSession session;
  private final HuggingFaceTokenizer truncatingTokenizer;
  private final HuggingFaceTokenizer countingTokenizer;
  private final SentencePooler pooler;
  private final String tokenVectorOutput;
  private final boolean feedsTokenTypeIds;
  private final InferenceSettings settings;
  private final ModelIdentity identity;
  private volatile ModelRunListener runListener = ModelRunListener.NONE;
  private final RunWatchdog watchdog = new RunWatchdog();
  /** Makes a second close() a no-op: every native object is released exactly once. */
  private final AtomicBoolean closed = new AtomicBoolean();

  private OnnxSentenceEmbedder(SentenceEmbeddingModelDir model, String name,
      OrtSessions.OpenedSession session, HuggingFaceTokenizer truncatingTokenizer,
      HuggingFaceTokenizer countingTokenizer, boolean normalize, InferenceSettings settings)
      throws OrtException {
    this.model = model;
    this.session = session;
    this.truncatingTokenizer = truncatingTokenizer;
    this.countingTokenizer = countingTokenizer;
    this.settings = settings;
    this.pooler = new SentencePooler(model.pooling(), normalize);
    // Only feed token_type_ids when the graph declares it (BERT does, DistilBERT/RoBERTa do not).
    this.feedsTokenTypeIds = session.session().getInputNames().contains("token_type_ids");
    this.tokenVectorOutput = tokenVectorOutput(session.session(), model);
    this.identity = new ModelIdentity(name, model.contentHash(), session.device());
  }

  /**
   * Loads a model directory.
   *
   * @param normalize scale vectors to unit length (Sentence-Transformers' Normalize module; true for
   *     all-MiniLM-L6-v2 and most models meant for cosine similarity)
   */
  public static OnnxSentenceEmbedder load(Path directory, String name, boolean normalize,
      InferenceSettings settings) {
    SentenceEmbeddingModelDir model = SentenceEmbeddingModelDir.read(directory,
        settings.precision());
    HuggingFaceTokenizer truncating = null;
    HuggingFaceTokenizer counting = null;
    OrtSessions.OpenedSession session = null;
    try {
      // Explicit options override what tokenizer.json may carry (some exports fix padding at 128).
      truncating = HuggingFaceTokenizer.builder().optTokenizerPath(model.tokenizerJson())
          .optTruncation(true).optMaxLength(model.maxLength()).optPadding(false)
          .optAddSpecialTokens(true).build();
      counting = HuggingFaceTokenizer.builder().optTokenizerPath(model.tokenizerJson())
          .optTruncation(false).optPadding(false).optAddSpecialTokens(false).build();
      session = OrtSessions.open(model.onnxModel(), settings);
      OnnxSentenceEmbedder embedder = new OnnxSentenceEmbedder(model, name, session, truncating,
          counting, normalize, settings);
      LOG.info("Loaded embedding model {} ({}, {}, pooling {}, {} dimensions{}, texts cut at {}"
          + " tokens) on {}", name, model.contentHash(),
          model.directory().relativize(model.onnxModel()), model.poolingSource(),
          embedder.dimension(), normalize ? ", normalised" : "", model.maxLength(),
          session.device());
      return embedder;
    } catch (IOException | OrtException | RuntimeException e) {
      if (truncating != null) {
        truncating.close();
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
      throw new ModelLoadException("Cannot load embedding model " + name + " from " + directory
          + ": " + e.getMessage(), e);
    }
  }

  private static String tokenVectorOutput(OrtSession session, SentenceEmbeddingModelDir model)
      throws OrtException {
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    for (String name : TOKEN_VECTOR_OUTPUTS) {
      NodeInfo info = outputs.get(name);
      if (info != null && info.getInfo() instanceof TensorInfo tensor) {
        long[] shape = tensor.getShape();
        if (shape.length != 3) {
          throw new ModelLoadException(model.onnxModel() + ": output " + name + " has rank "
              + shape.length + "; token vectors are [batch, sequence, hidden].");
        }
        // A dynamic width (-1) is checked on the first run instead.
        if (shape[2] > 0 && shape[2] != model.pooling().wordEmbeddingDimension()) {
          throw new ModelLoadException(model.onnxModel() + ": output " + name + " is "
              + shape[2] + " wide but the pooling config says word_embedding_dimension "
              + model.pooling().wordEmbeddingDimension() + ".");
        }
        return name;
      }
    }
    throw new ModelLoadException(model.onnxModel() + " has none of the outputs "
        + TOKEN_VECTOR_OUTPUTS + " (it has " + outputs.keySet() + "); export it with"
        + " `optimum-cli export onnx --task feature-extraction`.");
  }

  @Override
  public ModelIdentity identity() {
    return identity;
  }

  public SentenceEmbeddingModelDir modelDir() {
    return model;
  }

  @Override
  public int dimension() {
    return pooler.dimension();
  }

  @Override
  public PoolingConfig pooling() {
    return pooler.config();
  }

  @Override
  public boolean normalizes() {
    return pooler.normalizes();
  }

  @Override
  public int countTokens(String text) {
    return countingTokenizer.encode(text, false, false).getIds().length;
  }

  /** The ids the model reads for {@code text}: cut to the model's length, special tokens added. */
  long[] modelInputIds(String text) {
    return truncatingTokenizer.encode(text, true, false).getIds();
  }

  /** One text's model input. */
  private record Row(long[] ids, long[] typeIds, boolean truncated) {}

  /** As {@link #embed(List, long)} with the model's own run deadline. */
  public List<SentenceEmbedding> embed(List<String> texts) throws InferenceException {
    return embed(texts, settings.runTimeoutMs());
  }

  @Override
  public List<SentenceEmbedding> embed(List<String> texts, long timeoutMs)
      throws InferenceException {
    long runTimeoutMs = Math.max(1, Math.min(timeoutMs, settings.runTimeoutMs()));
    Row[] rows = new Row[texts.size()];
    int[] lengths = new int[texts.size()];
    for (int i = 0; i < texts.size(); i++) {
      Encoding encoding = truncatingTokenizer.encode(texts.get(i), true, false);
      rows[i] = new Row(encoding.getIds(), encoding.getTypeIds(), encoding.exceedMaxLength());
      lengths[i] = rows[i].ids().length;
    }
    SentenceEmbedding[] embeddings = new SentenceEmbedding[texts.size()];
    for (int[] bucket : LengthBuckets.plan(lengths, settings.runMaxRows(identity.device()),
        settings.runMaxTokens(identity.device()))) {
      runBucket(rows, bucket, embeddings, runTimeoutMs);
    }
    return List.of(embeddings);
  }

  private void runBucket(Row[] rows, int[] bucket, SentenceEmbedding[] out, long runTimeoutMs)
      throws InferenceException {
    List<long[]> ids = new ArrayList<>(bucket.length);
    List<long[]> typeIds = new ArrayList<>(bucket.length);
    for (int index : bucket) {
      ids.add(rows[index].ids());
      typeIds.add(rows[index].typeIds());
    }
    new EncoderRun(session.session(), watchdog, identity, model.padTokenId(), feedsTokenTypeIds,
        Set.of(tokenVectorOutput)).run(ids, typeIds, settings.runMaxRows(identity.device()),
            runTimeoutMs, runListener,
            (result, width, mask) -> pool(result, rows, bucket, mask, width, out));
  }

  private void pool(OrtSession.Result result, Row[] rows, int[] bucket, long[] mask, int width,
      SentenceEmbedding[] out) throws InferenceException {
    OnnxValue value = result.get(tokenVectorOutput).orElse(null);
    if (!(value instanceof OnnxTensor tensor)) {
      throw new InferenceException("The model returned no '" + tokenVectorOutput + "' tensor");
    }
    long[] shape = tensor.getInfo().getShape();
    int hidden = model.pooling().wordEmbeddingDimension();
    if (shape.length != 3 || shape[0] != bucket.length || shape[1] != width
        || shape[2] != hidden) {
      throw new InferenceException("The model's " + tokenVectorOutput + " is "
          + Arrays.toString(shape) + ", expected [" + bucket.length + ", " + width + ", " + hidden
          + "]");
    }
    FloatBuffer buffer = tensor.getFloatBuffer();
    for (int row = 0; row < bucket.length; row++) {
      Row input = rows[bucket[row]];
      // Only the row's own tokens: its padding has mask 0 and would not count anyway.
      int length = input.ids().length;
      float[] tokenVectors = new float[length * hidden];
      buffer.position(row * width * hidden);
      buffer.get(tokenVectors);
      long[] rowMask = Arrays.copyOfRange(mask, row * width, row * width + length);
      out[bucket[row]] = new SentenceEmbedding(pooler.pool(tokenVectors, rowMask), length,
          input.truncated());
    }
  }

  /**
   * Runs the model once on a short text, so that the first real batch does not pay for ONNX
   * Runtime's lazy initialisation (allocator arenas, kernel choice).
   */
  public void warmUp() {
    try {
      embed(List.of("Warm up."));
    } catch (InferenceException e) {
      throw new IllegalStateException("The embedding model " + identity.name() + " failed its"
          + " warm-up run: " + e.getMessage(), e);
    }
  }

  /** Tells {@code listener} about every model run from now on (the application's metrics). */
  public void onModelRun(ModelRunListener listener) {
    this.runListener = java.util.Objects.requireNonNull(listener, "listener");
  }

  /**
   * Refuses new runs, stops those in flight and waits for them to return; true when none is left.
   * Call before stopping the threads that use the model, so none of them waits on a long run.
   */
  public boolean stopRuns(Duration timeout) {
    return watchdog.stopRuns(timeout);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (!watchdog.stopRuns(CLOSE_WAIT)) {
      // Closing a session under a running OrtSession.run crashes the JVM: leave it to the OS.
      LOG.error("Embedding model {}: a run did not return within {} s of being stopped; its"
          + " session is left open", identity.name(), CLOSE_WAIT.toSeconds());
      watchdog.close();
      return;
    }
    watchdog.close();
    session.close();
    truncatingTokenizer.close();
    countingTokenizer.close();
  }
}
