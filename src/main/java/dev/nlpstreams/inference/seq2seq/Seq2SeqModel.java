package dev.nlpstreams.inference.seq2seq;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.ModelLoadException;
import dev.nlpstreams.inference.OrtSessions;
import dev.nlpstreams.text.generation.BeamSearch;
import dev.nlpstreams.text.generation.GenerationConfig;
import dev.nlpstreams.text.generation.GenerationResult;
import dev.nlpstreams.text.generation.GreedySearch;
import dev.nlpstreams.text.generation.Hypothesis;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A loaded encoder-decoder model: tokenizes, encodes the batch once, and runs greedy or beam search
 * with the decoder as the step function. Thread-safe: sessions are shared, per-call state is not.
 */
public final class Seq2SeqModel implements AutoCloseable {

  private final Seq2SeqModelDir dir;
  private final HuggingFaceTokenizer tokenizer;
  private final OrtSessions.OpenedSession encoder;
  private final OrtSessions.OpenedSession firstStep;
  private final OrtSessions.OpenedSession withPast;
  private final GenerationConfig defaults;
  private final long padTokenId;

  private Seq2SeqModel(Seq2SeqModelDir dir, HuggingFaceTokenizer tokenizer,
      OrtSessions.OpenedSession encoder, OrtSessions.OpenedSession firstStep,
      OrtSessions.OpenedSession withPast) {
    this.dir = dir;
    this.tokenizer = tokenizer;
    this.encoder = encoder;
    this.firstStep = firstStep;
    this.withPast = withPast;
    this.defaults = GenerationConfig.fromLayers(defaultLayers());
    Object pad = dir.config().get("pad_token_id");
    this.padTokenId = pad instanceof Number number ? number.longValue() : 0L;
  }

  /** One generated sequence: token ids (no decoder start token), decoded text, score. */
  public record Generated(int[] tokenIds, String text, double score) {}

  public static Seq2SeqModel load(Path directory, Seq2SeqModelDir.DecoderLayout layout,
      InferenceSettings settings) {
    Seq2SeqModelDir dir = Seq2SeqModelDir.read(directory, layout);
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
      return new Seq2SeqModel(dir, tokenizer, encoder, first, past);
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

  /** Generates for every text with one shared config; results in input order. */
  public List<Generated> generate(List<String> texts, GenerationConfig config) {
    int items = texts.size();
    long[][] ids = new long[items][];
    int sourceLength = 0;
    for (int i = 0; i < items; i++) {
      Encoding encoding = tokenizer.encode(texts.get(i), true, false);
      ids[i] = encoding.getIds();
      sourceLength = Math.max(sourceLength, ids[i].length);
    }
    long[] inputIds = new long[items * sourceLength];
    long[] mask = new long[items * sourceLength];
    Arrays.fill(inputIds, padTokenId);
    for (int i = 0; i < items; i++) {
      System.arraycopy(ids[i], 0, inputIds, i * sourceLength, ids[i].length);
      Arrays.fill(mask, i * sourceLength, i * sourceLength + ids[i].length, 1L);
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long[] shape = {items, sourceLength};
    float[] hidden;
    int hiddenSize;
    try (OnnxTensor idsTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(inputIds), shape);
        OnnxTensor maskTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
        OrtSession.Result result = encoder.session().run(
            Map.of("input_ids", idsTensor, "attention_mask", maskTensor))) {
      OnnxTensor state = (OnnxTensor) result.get("last_hidden_state").orElseThrow(
          () -> new IllegalStateException("The encoder has no 'last_hidden_state' output"));
      hiddenSize = (int) state.getInfo().getShape()[2];
      FloatBuffer buffer = state.getFloatBuffer();
      hidden = new float[buffer.remaining()];
      buffer.get(hidden);
    } catch (OrtException e) {
      throw new IllegalStateException("Encoder run failed: " + e.getMessage(), e);
    }
    OnnxDecoderStep step = new OnnxDecoderStep(dir, firstStep.session(), withPast.session(),
        dir.layout() == Seq2SeqModelDir.DecoderLayout.MERGED, hidden, mask, sourceLength,
        hiddenSize);
    GenerationResult result = config.numBeams() > 1
        ? new BeamSearch().generate(config, items, step)
        : new GreedySearch().generate(config, items, step);
    List<Generated> out = new ArrayList<>(items);
    for (int i = 0; i < items; i++) {
      Hypothesis best = result.item(i).best();
      long[] asLong = Arrays.stream(best.tokens()).asLongStream().toArray();
      out.add(new Generated(best.tokens(), tokenizer.decode(asLong, true), best.score()));
    }
    return out;
  }

  @Override
  public void close() {
    encoder.close();
    firstStep.close();
    if (withPast != firstStep) {
      withPast.close();
    }
    tokenizer.close();
  }
}
