package dev.nlpstreams.inference.seq2seq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.ModelResolver;
import dev.nlpstreams.inference.seq2seq.Seq2SeqModelDir.DecoderLayout;
import dev.nlpstreams.text.generation.GenerationConfig;
import dev.nlpstreams.text.task.GeneratedText;
import dev.nlpstreams.text.task.GenerationRequest;
import dev.nlpstreams.text.task.InferenceTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The TextGenerator contract on the tiny Marian: identity, counting, limits, deadline, bundling. */
class OnnxTextGeneratorTest {

  static final Path MODEL = Path.of("models/tiny/marian-tiny-en-de");

  private static OnnxTextGenerator generator;

  @BeforeAll
  static void load() {
    generator = OnnxTextGenerator.load(MODEL, "marian-en-de", InferenceSettings.cpuDefaults());
  }

  @AfterAll
  static void close() {
    generator.close();
  }

  private static GenerationConfig defaults() {
    return GenerationConfig.fromLayers(generator.defaultLayers());
  }

  @Test
  void identityCarriesTheConfiguredNameAContentHashAndTheDevice() {
    assertThat(generator.identity().name()).isEqualTo("marian-en-de");
    assertThat(generator.identity().version()).matches("[0-9a-f]{16}");
    assertThat(generator.identity().device()).isEqualTo("cpu");
    Seq2SeqModelDir dir = Seq2SeqModelDir.read(MODEL, DecoderLayout.MERGED);
    assertThat(OnnxTextGenerator.contentHash(dir)).isEqualTo(generator.identity().version());
    assertThat(OnnxTextGenerator.contentHash(Seq2SeqModelDir.read(MODEL, DecoderLayout.SPLIT)))
        .as("another decoder graph is another version").isNotEqualTo(generator.identity().version());
  }

  @Test
  void everyGenerationRunIsReportedWithItsDecoderSteps() throws Exception {
    List<dev.nlpstreams.text.task.ModelRun> runs =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    generator.onModelRun(runs::add);
    List<GeneratedText> out;
    try {
      out = generator.generate(List.of(GenerationRequest.translate("the dog runs.", "en", "de"),
          GenerationRequest.translate("the small cat sleeps in the house.", "en", "de")),
          defaults());
    } finally {
      generator.onModelRun(dev.nlpstreams.text.task.ModelRunListener.NONE);
    }
    assertThat(runs).isNotEmpty();
    assertThat(runs).allSatisfy(run -> {
      assertThat(run.model()).isEqualTo("marian-en-de");
      assertThat(run.device()).isEqualTo("cpu");
      assertThat(run.realTokens()).isLessThanOrEqualTo(run.computedTokens());
      assertThat(run.generationSteps()).isPositive();
    });
    assertThat(runs.stream().mapToInt(dev.nlpstreams.text.task.ModelRun::rows).sum())
        .isEqualTo(2);
    // Greedy: as many decoder calls as the longest output needs (its tokens, end of sequence
    // included), never more than the longest output allows.
    assertThat(runs.stream().mapToLong(dev.nlpstreams.text.task.ModelRun::generationSteps).max()
        .orElseThrow()).isGreaterThanOrEqualTo(1);
    assertThat(out).hasSize(2);
  }

  @Test
  void warmUpIsOneShortGreedyRun() {
    List<dev.nlpstreams.text.task.ModelRun> runs =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    generator.onModelRun(runs::add);
    try {
      generator.warmUp();
    } finally {
      generator.onModelRun(dev.nlpstreams.text.task.ModelRunListener.NONE);
    }
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).rows()).isEqualTo(1);
    assertThat(runs.get(0).generationSteps()).isBetween(1L, 2L);
  }

  @Test
  void aSinglePairModelDeclaresNoLanguagesAndNoPrefixes() {
    assertThat(generator.languages()).isEmpty();
    assertThat(generator.prefixedLanguagePairs()).isEmpty();
    GenerationRequest request = GenerationRequest.translate("the dog runs.", "en", "de");
    assertThat(generator.defaultLayers(request)).isEqualTo(generator.defaultLayers());
    // tokenizer_config model_max_length 512, config max_position_embeddings 256
    assertThat(generator.maxSourceTokens()).isEqualTo(256);
  }

  @Test
  void requestsGiveTheSameResultsAsPlainTextsAndCountTheirSourceTokens() throws Exception {
    List<String> texts = Seq2SeqModelTest.TEXTS;
    List<GenerationRequest> requests = texts.stream()
        .map(t -> GenerationRequest.translate(t, "en", "de")).toList();

    List<GeneratedText> out = generator.generate(requests, defaults());
    List<Seq2SeqModel.Generated> plain = generator.model().generate(texts, defaults());

    assertThat(out).hasSize(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      assertThat(out.get(i).tokenIds()).isEqualTo(plain.get(i).tokenIds());
      assertThat(out.get(i).text()).isEqualTo(plain.get(i).text());
      // Double.equals: greedy scores are NaN on both sides (none is computed)
      assertThat(Double.valueOf(out.get(i).score()))
          .isEqualTo(Double.valueOf(plain.get(i).score()));
      int sourceTokens = generator.model().tokenize(texts.get(i)).length;
      assertThat(out.get(i).sourceTokens()).isEqualTo(sourceTokens);
      assertThat(generator.countTokens(requests.get(i))).isEqualTo(sourceTokens);
    }
    assertThat(generator.generate(List.of(), defaults())).isEmpty();
  }

  @Test
  void smallBucketsGiveTheSameResultsAsOneBatch() throws Exception {
    InferenceSettings d = InferenceSettings.cpuDefaults();
    InferenceSettings tiny = new InferenceSettings(d.device(), d.intraOpThreads(),
        d.interOpThreads(), d.optimizationLevel(), d.runTimeoutMs(), 2, 24);
    List<GenerationRequest> requests = Seq2SeqModelTest.TEXTS.stream()
        .map(GenerationRequest::summarize).toList();
    try (OnnxTextGenerator bucketed = OnnxTextGenerator.load(MODEL, "m", tiny)) {
      List<GeneratedText> a = bucketed.generate(requests, defaults());
      List<GeneratedText> b = generator.generate(requests, defaults());
      for (int i = 0; i < requests.size(); i++) {
        assertThat(a.get(i).tokenIds()).isEqualTo(b.get(i).tokenIds());
      }
    }
  }

  @Test
  void aSourceLongerThanTheModelReadsIsRejected() {
    String tooLong = String.join(" ", Collections.nCopies(300, "dog"));
    GenerationRequest request = GenerationRequest.translate(tooLong, "en", "de");

    assertThat(generator.countTokens(request)).isGreaterThan(256);
    assertThatThrownBy(() -> generator.generate(List.of(request), defaults()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 256");
  }

  @Test
  void aWordLongerThanTheModelReadsIsCutIntoWindowsTheModelAccepts() throws Exception {
    // A URL with a long unbroken tail: no space to cut at. Before, its record failed.
    String word = "https://example.com/" + "abcdefghij".repeat(150);
    String text = "Open " + word + " today.";
    java.util.function.Function<String, GenerationRequest> request =
        piece -> GenerationRequest.translate(piece, "en", "de");
    assertThat(generator.countTokens(request.apply(word))).isGreaterThan(256);

    dev.nlpstreams.text.chunking.ChunkedText chunks = dev.nlpstreams.text.chunking.ChunkedText
        .sentences(text, piece -> generator.countTokens(request.apply(piece)),
            generator.maxSourceTokens(), 64);

    assertThat(chunks.truncated()).isFalse();
    assertThat(chunks.chunks()).hasSizeGreaterThan(2).allSatisfy(chunk ->
        assertThat(generator.countTokens(request.apply(chunk))).isLessThanOrEqualTo(256));
    assertThat(String.join("", chunks.chunks())).isEqualTo(text.replace(" ", ""));
    List<GeneratedText> out = generator.generate(
        chunks.chunks().stream().map(request).toList(), defaults());
    assertThat(out).hasSize(chunks.chunks().size());
  }

  @Test
  void aRunPastItsDeadlineIsCancelledAndReportedAsATimeout() {
    InferenceSettings d = InferenceSettings.cpuDefaults();
    InferenceSettings oneMs = new InferenceSettings(d.device(), 1, 1, d.optimizationLevel(), 1,
        d.maxBatchSize(), d.maxBatchTokens());
    List<GenerationRequest> many = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      many.add(GenerationRequest.translate(Seq2SeqModelTest.TEXTS.get(i % 5), "en", "de"));
    }
    try (OnnxTextGenerator slow = OnnxTextGenerator.load(MODEL, "m", oneMs)) {
      assertThatThrownBy(() -> slow.generate(many, defaults()))
          .isInstanceOf(InferenceTimeoutException.class)
          .hasMessageContaining("deadline of 1 ms (nlp.generation.run.timeout.ms)");
    }
  }

  @Test
  void theBundledModelResolvesAndTranslates() throws Exception {
    ModelResolver.ResolvedModel resolved = ModelResolver.resolve("bundled:marian-tiny-en-de");
    try (OnnxTextGenerator bundled = OnnxTextGenerator.load(resolved.directory(), resolved.name(),
        InferenceSettings.cpuDefaults())) {
      GeneratedText out = bundled.generate(List.of(GenerationRequest.translate("the dog runs.",
          "en", "de")), defaults()).get(0);
      assertThat(out.text()).isEqualTo("der Hund läuft.");
      assertThat(bundled.identity().version()).isEqualTo(generator.identity().version());
    } finally {
      ModelResolver.cleanUp(resolved);
    }
  }

  @Test
  void generationStopsAtTheDecodersPositionLimitAndSaysSo() throws Exception {
    // An eos that never comes and far more new tokens than the 256 learned positions: the
    // decoder would fail at position 257; instead the output is cut there and flagged.
    List<Map<String, Object>> layers = new java.util.ArrayList<>(generator.defaultLayers());
    layers.add(Map.of("eos_token_id", 7, "max_new_tokens", 400, "num_beams", 1));
    GenerationConfig endless = GenerationConfig.fromLayers(layers);
    GenerationRequest request = GenerationRequest.translate("the dog runs.", "en", "de");
    GeneratedText cut = generator.generate(List.of(request), endless).get(0);
    assertThat(cut.tokenIds()).hasSize(255);
    assertThat(cut.hitPositionLimit()).isTrue();
    GeneratedText normal = generator.generate(List.of(request), defaults()).get(0);
    assertThat(normal.hitPositionLimit()).isFalse();
  }
}
