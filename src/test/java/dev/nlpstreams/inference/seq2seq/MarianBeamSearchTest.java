package dev.nlpstreams.inference.seq2seq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.seq2seq.Seq2SeqModelDir.DecoderLayout;
import dev.nlpstreams.text.generation.GenerationConfig;
import dev.nlpstreams.text.generation.LogitsProcessorChain;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Beam search on the real tiny Marian, checked against the search's own contract: one beam is
 * greedy; the returned hypotheses are distinct, best first, each finished by eos, scored
 * {@code sumLogProbs / length^length_penalty}; and {@code sumLogProbs} is what an independent,
 * cache-free recomputation of the chosen tokens gives (the processed, renormalised log-softmax of
 * the no-past decoder, summed).
 */
class MarianBeamSearchTest {

  private static Seq2SeqModel model;
  private static NoCacheGraphs reference;

  /** The no-past decoder and encoder, for the recomputation. */
  private record NoCacheGraphs(OrtSession encoder, OrtSession decoder) {}

  @BeforeAll
  static void load() throws Exception {
    model = Seq2SeqModel.load(Seq2SeqModelTest.MODEL, DecoderLayout.MERGED,
        InferenceSettings.cpuDefaults());
    Seq2SeqModelDir dir = Seq2SeqModelDir.read(Seq2SeqModelTest.MODEL, DecoderLayout.SPLIT);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    reference = new NoCacheGraphs(env.createSession(dir.encoder().toString()),
        env.createSession(dir.firstStepDecoder().toString()));
  }

  @AfterAll
  static void close() throws Exception {
    model.close();
    reference.encoder().close();
    reference.decoder().close();
  }

  private static GenerationConfig config(Map<String, ?> overrides) {
    List<Map<String, ?>> layers = new ArrayList<>(model.defaultLayers());
    layers.add(overrides);
    return GenerationConfig.fromLayers(layers);
  }

  @Test
  void oneBeamEqualsGreedyOnEveryInput() {
    List<String> texts = goldenTexts();
    List<Seq2SeqModel.Generated> greedy = model.generate(texts, model.defaults());
    List<Seq2SeqModel.Generated> beam = model.generate(texts, config(Map.of("num_beams", 1)));
    for (int i = 0; i < texts.size(); i++) {
      assertThat(beam.get(i).tokenIds()).as(texts.get(i)).isEqualTo(greedy.get(i).tokenIds());
    }
  }

  /**
   * Hand-checked on "the dog runs.": the model is confident, so four beams agree with greedy on
   * the best translation, and the other kept hypotheses are different, lower-scored endings.
   */
  @Test
  void fourBeamsFindTheConfidentTranslationFirst() {
    GenerationConfig c = config(Map.of("num_beams", 4));
    Seq2SeqModel.Generated best = model.generate(List.of("the dog runs."), c).get(0);

    assertThat(best.text()).isEqualTo("der Hund läuft.");
    assertThat(best.tokenIds()).containsExactly(110, 43, 187, 295, 0);
  }

  @Test
  void keptHypothesesAreDistinctBestFirstAndScoredByTheLengthPenalty() throws Exception {
    for (double lengthPenalty : new double[] {0.0, 1.0, 2.0}) {
      GenerationConfig c = config(Map.of("num_beams", 4, "num_return_sequences", 4,
          "length_penalty", lengthPenalty));
      for (String text : List.of("the dog runs.", "my old cat sleeps today.",
          "the teacher sees a red butterfly.")) {
        var hypotheses = search(text, c);
        assertThat(hypotheses).as(text).hasSize(4);
        var seen = new HashSet<List<Integer>>();
        double previous = Double.POSITIVE_INFINITY;
        for (var h : hypotheses) {
          int[] tokens = h.tokens();
          assertThat(seen.add(Arrays.stream(tokens).boxed().toList())).as("distinct").isTrue();
          assertThat(c.isEos(tokens[tokens.length - 1]) || tokens.length + 1 == c.maxLength())
              .as("finished").isTrue();
          assertThat(h.score()).as("best first").isLessThanOrEqualTo(previous);
          previous = h.score();
          assertThat(h.score()).isCloseTo(h.sumLogProbs() / Math.pow(tokens.length,
              lengthPenalty), offset(1e-9));
          assertThat(recomputedSumLogProbs(text, tokens, c)).as("%s: %s", text,
              Arrays.toString(tokens)).isCloseTo(h.sumLogProbs(), offset(1e-3));
        }
      }
    }
  }

  /** All hypotheses of one text, via the search the model runs. */
  private static List<dev.nlpstreams.text.generation.Hypothesis> search(String text,
      GenerationConfig c) throws Exception {
    return model.search(List.of(model.tokenize(text)), List.of(c)).get(0).hypotheses();
  }

  /**
   * Sum over the generated tokens of the processed log-softmax, recomputed step by step from the
   * whole prefix with the no-past decoder (no KV cache, no search).
   */
  private static double recomputedSumLogProbs(String text, int[] tokens, GenerationConfig c)
      throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long[] source = model.tokenize(text);
    long[] mask = new long[source.length];
    Arrays.fill(mask, 1L);
    long[] shape = {1, source.length};
    float[] hidden;
    int hiddenSize;
    try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(source), shape);
        OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
        OrtSession.Result r = reference.encoder().run(Map.of("input_ids", ids,
            "attention_mask", m))) {
      OnnxTensor state = (OnnxTensor) r.get("last_hidden_state").orElseThrow();
      hiddenSize = (int) state.getInfo().getShape()[2];
      FloatBuffer b = state.getFloatBuffer();
      hidden = new float[b.remaining()];
      b.get(hidden);
    }
    LogitsProcessorChain chain = LogitsProcessorChain.forConfig(c);
    int[] prefix = {c.decoderStartTokenId()};
    double sum = 0;
    for (int token : tokens) {
      long[] decoderIds = Arrays.stream(prefix).asLongStream().toArray();
      try (OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(decoderIds),
          new long[] {1, decoderIds.length});
          OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
          OnnxTensor h = OnnxTensor.createTensor(env, FloatBuffer.wrap(hidden),
              new long[] {1, source.length, hiddenSize});
          OrtSession.Result r = reference.decoder().run(Map.of("input_ids", ids,
              "encoder_attention_mask", m, "encoder_hidden_states", h))) {
        OnnxTensor logits = (OnnxTensor) r.get("logits").orElseThrow();
        int vocab = (int) logits.getInfo().getShape()[2];
        FloatBuffer b = logits.getFloatBuffer();
        double[] scores = new double[vocab];
        for (int v = 0; v < vocab; v++) {
          scores[v] = b.get((decoderIds.length - 1) * vocab + v);
        }
        logSoftmax(scores);
        chain.process(prefix, scores);
        sum += scores[token];
      }
      prefix = Arrays.copyOf(prefix, prefix.length + 1);
      prefix[prefix.length - 1] = token;
    }
    return sum;
  }

  private static void logSoftmax(double[] x) {
    double max = Arrays.stream(x).max().orElseThrow();
    double sum = 0;
    for (double v : x) {
      sum += Math.exp(v - max);
    }
    double lse = max + Math.log(sum);
    for (int i = 0; i < x.length; i++) {
      x[i] -= lse;
    }
  }

  private static List<String> goldenTexts() {
    try {
      List<String> texts = new ArrayList<>();
      new com.fasterxml.jackson.databind.ObjectMapper().readTree(
          java.nio.file.Path.of("models/goldens/marian-tiny-en-de.json").toFile())
          .get("inputs").forEach(i -> texts.add(i.get("text").asText()));
      return texts;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
