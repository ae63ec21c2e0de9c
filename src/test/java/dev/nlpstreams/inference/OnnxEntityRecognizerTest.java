package dev.nlpstreams.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.nlpstreams.config.DeviceSpec;
import dev.nlpstreams.text.ner.AggregationStrategy;
import dev.nlpstreams.text.ner.Entity;
import dev.nlpstreams.text.ner.TextOffsets;
import dev.nlpstreams.text.task.NerRequest;
import dev.nlpstreams.text.task.NerResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real model through the real ONNX Runtime and tokenizer, no broker. */
class OnnxEntityRecognizerTest {

  static final Path MODEL = Path.of(System.getProperty("test.ner.model", "models/tiny/ner-bert-wordpiece"));
  private static OnnxEntityRecognizer recognizer;

  @BeforeAll
  static void load() {
    recognizer = OnnxEntityRecognizer.load(MODEL, "ner-bert-wordpiece", 0, 32,
        InferenceSettings.cpuDefaults().withDevice(DeviceSpec.AUTO));
  }

  @AfterAll
  static void close() {
    recognizer.close();
  }

  private static NerResult tag(String text, AggregationStrategy strategy) throws Exception {
    return recognizer.recognize(List.of(new NerRequest(text, strategy))).get(0);
  }

  private static List<String> labelled(NerResult result) {
    return result.entities().stream().map(e -> e.label() + ":" + e.word()).toList();
  }

  @Test
  void tagsPeoplePlacesAndOrganisations() throws Exception {
    assertThat(labelled(tag("Angela Merkel met Tim Cook in Berlin.", AggregationStrategy.SIMPLE)))
        .containsExactly("PER:Angela Merkel", "PER:Tim Cook", "LOC:Berlin");
    assertThat(labelled(tag("Zoë Schmidt works for Deutsche Bank in Frankfurt.",
        AggregationStrategy.SIMPLE)))
        .containsExactly("PER:Zoë Schmidt", "ORG:Deutsche Bank", "LOC:Frankfurt");
  }

  @Test
  void everyModelRunIsReportedWithItsRowsPaddingAndDevice() throws Exception {
    List<dev.nlpstreams.text.task.ModelRun> runs =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    recognizer.onModelRun(runs::add);
    try {
      recognizer.recognize(List.of(new NerRequest("Ann met Bob.", AggregationStrategy.SIMPLE),
          new NerRequest("Angela Merkel met Tim Cook in Berlin on a rainy Monday morning.",
              AggregationStrategy.SIMPLE)));
    } finally {
      recognizer.onModelRun(dev.nlpstreams.text.task.ModelRunListener.NONE);
    }
    assertThat(runs).hasSize(1);
    dev.nlpstreams.text.task.ModelRun run = runs.get(0);
    assertThat(run.model()).isEqualTo("ner-bert-wordpiece");
    assertThat(run.device()).isEqualTo("cpu");
    assertThat(run.rows()).isEqualTo(2);
    // Two rows padded to the longer one: fewer real tokens than computed ones.
    assertThat(run.realTokens()).isLessThan(run.computedTokens());
    assertThat(run.computedTokens()).isEqualTo(2L * (run.computedTokens() / 2));
    assertThat(run.nanos()).isPositive();
    assertThat(run.generationSteps()).isZero();
  }

  @Test
  void autoDeviceRunsOnCpuHereAndSaysSo() {
    assertThat(recognizer.identity().device()).isEqualTo("cpu");
    assertThat(recognizer.identity().version()).hasSize(16);
  }

  @Test
  void explicitCudaFailsFastOnACpuBuild() {
    assertThatThrownBy(() -> OnnxEntityRecognizer.load(MODEL, "m", 0, 32,
        InferenceSettings.cpuDefaults().withDevice(DeviceSpec.parse("cuda"))))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("-Pcuda");
  }

  @Test
  void offsetsPointIntoTheOriginalTextInBothUnits() throws Exception {
    String text = "😀😀 Zoë Schmidt flew to 東京 with Lufthansa 🚀 and met Tim Cook.";
    for (AggregationStrategy strategy : AggregationStrategy.values()) {
      NerResult result = tag(text, strategy);
      assertThat(result.entities()).isNotEmpty();
      for (Entity e : result.entities()) {
        assertThat(text.substring(e.start(), e.end())).isEqualTo(e.word());
        assertThat(text.offsetByCodePoints(0, e.startCodePoint())).isEqualTo(e.start());
        assertThat(text.offsetByCodePoints(0, e.endCodePoint())).isEqualTo(e.end());
      }
    }
    // Two emoji (surrogate pairs) before "Zoë": UTF-16 offsets run two ahead of code points;
    // after the rocket emoji, "Tim" is three ahead.
    List<Entity> entities = tag(text, AggregationStrategy.SIMPLE).entities();
    Entity zoe = entities.stream().filter(e -> e.word().startsWith("Zoë")).findFirst().orElseThrow();
    assertThat(zoe.start()).isEqualTo(text.indexOf("Zoë"));
    assertThat(zoe.start() - zoe.startCodePoint()).isEqualTo(2);
    Entity tim = entities.stream().filter(e -> e.word().startsWith("Tim")).findFirst().orElseThrow();
    assertThat(tim.start() - tim.startCodePoint()).isEqualTo(3);
  }

  @Test
  void aLoneSurrogateMadeWellFormedKeepsEveryOffsetOnItsWord() throws Exception {
    // A JSON producer cut an emoji in half before the entities; the processor repairs the text
    // on intake (EventDecodeProcessor), and the real tokenizer then agrees with Java's offsets.
    String raw = "\ud83d Angela Merkel 😀 met Tim Cook in Berlin.";
    String text = dev.nlpstreams.text.WellFormedText.of(raw);
    NerResult result = tag(text, AggregationStrategy.SIMPLE);
    assertThat(labelled(result)).contains("PER:Tim Cook", "LOC:Berlin");
    for (Entity e : result.entities()) {
      assertThat(raw.substring(e.start(), e.end())).isEqualTo(e.word());
    }
  }

  @Test
  void batchedAndSingleRunsAgreeDespitePadding() throws Exception {
    List<String> texts = List.of("Tim Cook", "Angela Merkel met Tim Cook in Berlin yesterday.",
        "The United Nations opened an office in São Paulo.", "Hi");
    List<NerRequest> requests = texts.stream()
        .map(t -> new NerRequest(t, AggregationStrategy.SIMPLE)).toList();
    List<NerResult> batched = recognizer.recognize(requests);
    for (int i = 0; i < texts.size(); i++) {
      NerResult single = tag(texts.get(i), AggregationStrategy.SIMPLE);
      assertThat(labelled(batched.get(i))).isEqualTo(labelled(single));
      for (int e = 0; e < single.entities().size(); e++) {
        assertThat(batched.get(i).entities().get(e).score())
            .isCloseTo(single.entities().get(e).score(), offset(1e-4f));
      }
    }
  }

  @Test
  void longTextUsesWindowsAndReportsEveryEntityOnce() throws Exception {
    String sentence = "Angela Merkel met Tim Cook in Berlin. ";
    String text = sentence.repeat(40);
    NerResult result = tag(text, AggregationStrategy.SIMPLE);
    assertThat(result.windowCount()).isGreaterThan(1);
    List<Entity> entities = result.entities();
    for (int i = 1; i < entities.size(); i++) {
      assertThat(entities.get(i).start()).isGreaterThanOrEqualTo(entities.get(i - 1).end());
    }
    long berlins = entities.stream().filter(e -> e.word().equals("Berlin")).count();
    assertThat(berlins).isEqualTo(40);
  }

  @Test
  void oneRecognizerIsSafeToShareAcrossStreamThreads() throws Exception {
    List<String> texts = List.of("Angela Merkel met Tim Cook in Berlin.",
        "Zoë Schmidt works for Deutsche Bank in Frankfurt.",
        "The United Nations opened an office in São Paulo.",
        "Barack Obama visited Microsoft in Seattle last year. ".repeat(12));
    List<NerRequest> requests = texts.stream()
        .map(t -> new NerRequest(t, AggregationStrategy.SIMPLE)).toList();
    List<NerResult> expected = recognizer.recognize(requests);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<List<NerResult>>> futures = new java.util.ArrayList<>();
      for (int i = 0; i < 16; i++) {
        futures.add(pool.submit(() -> recognizer.recognize(requests)));
      }
      for (java.util.concurrent.Future<List<NerResult>> future : futures) {
        List<NerResult> actual = future.get();
        for (int i = 0; i < texts.size(); i++) {
          assertThat(actual.get(i).entities()).isEqualTo(expected.get(i).entities());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void tokenCountExcludesSpecialTokens() {
    assertThat(recognizer.countTokens("Berlin")).isEqualTo(1);
    assertThat(recognizer.countTokens("")).isZero();
  }

  @Test
  void strideTooLargeForTheModelIsRefused() {
    assertThatThrownBy(() -> OnnxEntityRecognizer.load(MODEL, "m", 16, 14,
        InferenceSettings.cpuDefaults()))
        .hasMessageContaining("nlp.ner.window.stride=14");
  }

  @Test
  void notAnOptimumExportIsExplained() {
    assertThatThrownBy(() -> OnnxEntityRecognizer.load(Path.of("schemas"), "m", 0, 16,
        InferenceSettings.cpuDefaults()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("missing config.json");
  }

  @Test
  void utf16OffsetTableHandlesSurrogatePairs() {
    TextOffsets offsets = TextOffsets.of("a😀b");
    assertThat(java.util.stream.IntStream.rangeClosed(0, 3).map(offsets::toUtf16).toArray())
        .containsExactly(0, 1, 3, 4);
  }
}
