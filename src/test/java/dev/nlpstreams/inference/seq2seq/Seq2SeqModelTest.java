package dev.nlpstreams.inference.seq2seq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.ModelLoadException;
import dev.nlpstreams.inference.seq2seq.Seq2SeqModelDir.DecoderLayout;
import dev.nlpstreams.text.generation.DecoderRows;
import dev.nlpstreams.text.generation.GenerationConfig;
import dev.nlpstreams.text.generation.GreedySearch;
import dev.nlpstreams.text.generation.StepFunction;
import dev.nlpstreams.text.task.ModelRun;
import dev.nlpstreams.text.task.ModelRunListener;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tiny Marian export through the real ONNX Runtime and tokenizer, in both decoder layouts. */
class Seq2SeqModelTest {

  static final Path MODEL = Path.of(System.getProperty("test.marian.model",
      "models/tiny/marian-tiny-en-de"));
  static final List<String> TEXTS = List.of("the dog runs.", "my old cat sleeps today.",
      "the teacher sees a red butterfly.",
      "this queen likes the beautiful sunflower, because the king paints a sunflower.",
      "a big horse eats my bread, that the child repairs the car.");

  private static Seq2SeqModel merged;
  private static Seq2SeqModel split;

  @BeforeAll
  static void load() {
    merged = Seq2SeqModel.load(MODEL, DecoderLayout.MERGED, InferenceSettings.cpuDefaults());
    split = Seq2SeqModel.load(MODEL, DecoderLayout.SPLIT, InferenceSettings.cpuDefaults());
  }

  @AfterAll
  static void close() {
    merged.close();
    split.close();
  }

  @Test
  void bothDecoderLayoutsGiveTheSameTokensAndScores() {
    for (GenerationConfig config : List.of(merged.defaults(), withBeams(merged.defaults(), 4))) {
      List<Seq2SeqModel.Generated> a = merged.generate(TEXTS, config);
      List<Seq2SeqModel.Generated> b = split.generate(TEXTS, config);
      for (int i = 0; i < TEXTS.size(); i++) {
        assertThat(a.get(i).tokenIds()).as(TEXTS.get(i)).isEqualTo(b.get(i).tokenIds());
        if (config.numBeams() > 1) {
          assertThat(a.get(i).score()).isCloseTo(b.get(i).score(), offset(1e-4));
        } else {
          // Greedy generation computes no score.
          assertThat(a.get(i).score()).isNaN();
          assertThat(b.get(i).score()).isNaN();
        }
      }
    }
  }

  @Test
  void greedyOutputsEndWithEosAndDecodeToText() {
    GenerationConfig config = merged.defaults();
    for (Seq2SeqModel.Generated g : merged.generate(TEXTS, config)) {
      assertThat(g.tokenIds()).isNotEmpty();
      assertThat(config.isEos(g.tokenIds()[g.tokenIds().length - 1])).isTrue();
      assertThat(g.text()).isNotBlank();
    }
  }

  /**
   * Greedy token ids for the same inputs from three independent implementations: the PyTorch model
   * the generator trained, its ONNX graphs in a Python reference loop, and transformers.js 4.3.1
   * (models/generator/verify_seq2seq_with_transformersjs.mjs). Ids exclude the decoder start token.
   */
  @Test
  void greedyEqualsTheReferenceImplementations() {
    int[][] expected = {
        {110, 43, 187, 295, 0},
        {192, 44, 72, 226, 156, 295, 0},
        {110, 50, 236, 127, 58, 14, 222, 295, 0},
        {112, 48, 188, 111, 61, 3, 230, 293, 274, 110, 47, 126, 61, 3, 189, 295, 0},
        {125, 54, 150, 164, 191, 32, 293, 105, 104, 45, 104, 26, 215, 18, 295, 0}};
    String[] texts = {"der Hund läuft.", "meine Katze alt schläft heute.",
        "der Lehrer sieht einen Schmetterling rot.",
        "diese Königin mag die Sonnenblume schön, weil der König eine Sonnenblume malt.",
        "ein Pferd groß isst mein Brot, dass das Kind das Auto repariert."};
    for (Seq2SeqModel model : List.of(merged, split)) {
      List<Seq2SeqModel.Generated> out = model.generate(TEXTS, model.defaults());
      for (int i = 0; i < TEXTS.size(); i++) {
        assertThat(out.get(i).tokenIds()).as(model.layout() + ": " + TEXTS.get(i))
            .isEqualTo(expected[i]);
        assertThat(out.get(i).text()).isEqualTo(texts[i]);
      }
    }
  }

  @Test
  void batchedEqualsOneAtATime() {
    List<Seq2SeqModel.Generated> batched = merged.generate(TEXTS, merged.defaults());
    for (int i = 0; i < TEXTS.size(); i++) {
      Seq2SeqModel.Generated single = merged.generate(List.of(TEXTS.get(i)), merged.defaults())
          .get(0);
      assertThat(batched.get(i).tokenIds()).as(TEXTS.get(i)).isEqualTo(single.tokenIds());
    }
  }

  @Test
  void aBatchOfMixedLengthsIsEncodedInPartsWithExactlyTheResultsOfOneEncoderRun() {
    String longText = String.join(" ", Collections.nCopies(6,
        "this queen likes the beautiful sunflower, because the king paints a sunflower."));
    List<String> texts = List.of("the dog runs.", longText, "my old cat sleeps today.",
        longText + " the dog runs.", "the teacher sees a red butterfly.");
    int[] lengths = texts.stream().mapToInt(t -> merged.tokenize(t).length).toArray();
    int longest = Arrays.stream(lengths).max().orElseThrow();
    assertThat(Seq2SeqModel.encoderParts(lengths, 4096)).as("encoder runs").hasSizeGreaterThan(1);
    List<ModelRun> runs = new java.util.concurrent.CopyOnWriteArrayList<>();
    merged.onModelRun("test", runs::add);
    try {
      for (GenerationConfig config : List.of(merged.defaults(), withBeams(merged.defaults(), 4))) {
        runs.clear();
        List<Seq2SeqModel.Generated> inParts = merged.generate(texts, config);
        merged.encodeInOneRun(true);
        List<Seq2SeqModel.Generated> oneRun = merged.generate(texts, config);
        merged.encodeInOneRun(false);

        // The encoder computed fewer tokens in parts than padded to the longest source.
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).computedTokens()).isLessThan(runs.get(1).computedTokens())
            .isGreaterThanOrEqualTo(Arrays.stream(lengths).sum());
        assertThat(runs.get(1).computedTokens()).isEqualTo((long) texts.size() * longest);
        for (int i = 0; i < texts.size(); i++) {
          assertThat(inParts.get(i).tokenIds()).as(texts.get(i))
              .isEqualTo(oneRun.get(i).tokenIds());
          // Bit for bit: a row's encoder states do not depend on how far it was padded.
          assertThat(Double.valueOf(inParts.get(i).score())).as(texts.get(i))
              .isEqualTo(Double.valueOf(oneRun.get(i).score()));
          assertThat(inParts.get(i).tokenIds()).as(texts.get(i)).isEqualTo(
              merged.generate(List.of(texts.get(i)), config).get(0).tokenIds());
        }
      }
    } finally {
      merged.encodeInOneRun(false);
      merged.onModelRun("test", ModelRunListener.NONE);
    }
  }

  @Test
  void encoderPartsKeepSimilarLengthsInOneRun() {
    assertThat(Seq2SeqModel.encoderParts(new int[] {12, 14, 13, 15}, 4096)).hasSize(1);
    List<int[]> parts = Seq2SeqModel.encoderParts(new int[] {10, 200, 12, 190}, 4096);
    assertThat(parts).hasSize(2);
    assertThat(parts.get(0)).containsExactly(0, 2);
    assertThat(parts.get(1)).containsExactly(3, 1);
  }

  @Test
  void oneBeamEqualsGreedy() {
    List<Seq2SeqModel.Generated> greedy = merged.generate(TEXTS, merged.defaults());
    List<Seq2SeqModel.Generated> beam = merged.generate(TEXTS, withBeams(merged.defaults(), 1));
    for (int i = 0; i < TEXTS.size(); i++) {
      assertThat(beam.get(i).tokenIds()).isEqualTo(greedy.get(i).tokenIds());
    }
  }

  /**
   * The cache is an optimisation only: recomputing the whole prefix with the no-past decoder every
   * step must choose the same tokens.
   */
  @Test
  void kvCacheMatchesRecomputingThePrefix() throws Exception {
    Seq2SeqModelDir dir = Seq2SeqModelDir.read(MODEL, DecoderLayout.SPLIT);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession encoder = env.createSession(dir.encoder().toString());
        OrtSession decoder = env.createSession(dir.firstStepDecoder().toString())) {
      for (String text : TEXTS) {
        int[] cached = merged.generate(List.of(text), merged.defaults()).get(0).tokenIds();
        long[] source = merged.tokenize(text);
        float[] hidden;
        long[] shape = {1, source.length};
        long[] mask = new long[source.length];
        Arrays.fill(mask, 1L);
        int hiddenSize;
        try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(source), shape);
            OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
            OrtSession.Result r = encoder.run(Map.of("input_ids", ids, "attention_mask", m))) {
          OnnxTensor state = (OnnxTensor) r.get("last_hidden_state").orElseThrow();
          hiddenSize = (int) state.getInfo().getShape()[2];
          FloatBuffer b = state.getFloatBuffer();
          hidden = new float[b.remaining()];
          b.get(hidden);
        }
        StepFunction recompute = new RecomputingStep(env, decoder, hidden, mask, hiddenSize);
        int[] uncached = new GreedySearch().generate(merged.defaults(), 1, recompute).item(0)
            .best().tokens();
        assertThat(cached).as(text).isEqualTo(uncached);
      }
    }
  }

  @Test
  void missingDecoderIsExplained() {
    assertThatThrownBy(() -> Seq2SeqModelDir.read(Path.of("models/tiny/ner-bert-wordpiece"),
        null))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("encoder_model.onnx");
  }

  private static GenerationConfig withBeams(GenerationConfig base, int beams) {
    List<Map<String, ?>> layers = new java.util.ArrayList<>(merged.defaultLayers());
    layers.add(Map.of("num_beams", beams));
    return GenerationConfig.fromLayers(layers);
  }

  /** Feeds the whole prefix to the no-past decoder each step and ignores the cache outputs. */
  private static final class RecomputingStep implements StepFunction {
    private final OrtEnvironment env;
    private final OrtSession decoder;
    private final float[] hidden;
    private final long[] mask;
    private final int hiddenSize;

    RecomputingStep(OrtEnvironment env, OrtSession decoder, float[] hidden, long[] mask,
        int hiddenSize) {
      this.env = env;
      this.decoder = decoder;
      this.hidden = hidden;
      this.mask = mask;
      this.hiddenSize = hiddenSize;
    }

    @Override
    public float[][] next(DecoderRows rows) {
      int[] tokens = rows.tokens(0);
      long[] ids = Arrays.stream(tokens).asLongStream().toArray();
      Map<String, OnnxTensor> inputs = new HashMap<>();
      try {
        inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids),
            new long[] {1, ids.length}));
        inputs.put("encoder_attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask),
            new long[] {1, mask.length}));
        inputs.put("encoder_hidden_states", OnnxTensor.createTensor(env,
            FloatBuffer.wrap(hidden), new long[] {1, mask.length, hiddenSize}));
        try (OrtSession.Result r = decoder.run(inputs)) {
          OnnxTensor logits = (OnnxTensor) r.get("logits").orElseThrow();
          long[] shape = logits.getInfo().getShape();
          int vocab = (int) shape[2];
          FloatBuffer b = logits.getFloatBuffer();
          float[] last = new float[vocab];
          b.position((ids.length - 1) * vocab);
          b.get(last);
          return new float[][] {last};
        }
      } catch (OrtException e) {
        throw new IllegalStateException(e);
      } finally {
        inputs.values().forEach(OnnxTensor::close);
      }
    }
  }
}
