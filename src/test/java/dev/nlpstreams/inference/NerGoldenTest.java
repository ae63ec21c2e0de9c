package dev.nlpstreams.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nlpstreams.text.ner.AggregationStrategy;
import dev.nlpstreams.text.ner.Entity;
import dev.nlpstreams.text.ner.TextOffsets;
import dev.nlpstreams.text.task.NerRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our NER output against the transformers.js goldens in {@code models/goldens/} (made by
 * {@code models/reference/make_goldens.mjs}, checked in CI by {@code check_goldens.sh}): the BERT
 * WordPiece model and the RoBERTa byte-level BPE model (no {@code token_type_ids}, byte tokens that
 * share the span of one character, spans trimmed of the space before a word).
 *
 * <p>Where a golden file lists a known deviation (transformers.js differs from the Hugging Face
 * Python pipeline, which we follow), our output must equal the deviation's {@code python} result
 * instead, and the deviation must be one the per-token table of the goldens explains.
 */
class NerGoldenTest {

  static final List<Path> GOLDENS = List.of(Path.of("models/goldens/ner-bert-wordpiece.json"),
      Path.of("models/goldens/ner-roberta-bpe.json"));
  static final double SCORE_TOLERANCE = 1e-4;
  static final Set<String> KNOWN_REASONS = Set.of("o-interruption", "unk-token-dropped");

  /** One golden file with the recognizer and tokenizer of its model, loaded once. */
  record Golden(String name, JsonNode json, Map<String, JsonNode> deviations,
      OnnxEntityRecognizer recognizer, HuggingFaceTokenizer tokenizer) {

    /** The model's unknown token, or null when it has none (byte-level BPE). */
    String unknownToken() {
      return recognizer.modelDir().unknownToken();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static final Map<Path, Golden> LOADED = new LinkedHashMap<>();

  static synchronized Golden golden(Path file) {
    return LOADED.computeIfAbsent(file, NerGoldenTest::load);
  }

  private static Golden load(Path file) {
    JsonNode json = readJson(file);
    Map<String, JsonNode> deviations = new HashMap<>();
    for (JsonNode d : json.get("known_deviations")) {
      JsonNode previous = deviations.put(key(d.get("id").asText(), d.get("strategy").asText()), d);
      assertThat(previous).as("duplicate deviation %s in %s", d, file).isNull();
    }
    Path model = Path.of(json.get("model").get("path").asText());
    OnnxEntityRecognizer recognizer = OnnxEntityRecognizer.load(model, "ner-golden", 0, 32,
        InferenceSettings.cpuDefaults());
    HuggingFaceTokenizer tokenizer;
    try {
      tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(model.resolve("tokenizer.json"))
          .optAddSpecialTokens(true).optTruncation(false).optPadding(false).build();
    } catch (IOException e) {
      recognizer.close();
      throw new UncheckedIOException(e);
    }
    String name = file.getFileName().toString().replace(".json", "");
    return new Golden(name, json, deviations, recognizer, tokenizer);
  }

  @AfterAll
  static synchronized void close() {
    for (Golden g : LOADED.values()) {
      g.recognizer().close();
      g.tokenizer().close();
    }
    LOADED.clear();
  }

  private static JsonNode readJson(Path file) {
    try {
      return new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String key(String id, String strategy) {
    return id + "/" + strategy;
  }

  static Stream<Path> goldenFiles() {
    return GOLDENS.stream();
  }

  static Stream<Arguments> inputs() {
    List<Arguments> args = new ArrayList<>();
    for (Path file : GOLDENS) {
      String name = file.getFileName().toString().replace(".json", "");
      for (JsonNode input : readJson(file).get("inputs")) {
        args.add(Arguments.of(name + "/" + input.get("id").asText(), file, input));
      }
    }
    return args.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenFiles")
  void goldensWereMadeFromTheCommittedModel(Path file) throws Exception {
    JsonNode model = golden(file).json().get("model");
    assertThat(golden(file).json().get("inputs").size()).isGreaterThanOrEqualTo(30);
    var files = model.get("sha256").properties().iterator();
    while (files.hasNext()) {
      var entry = files.next();
      byte[] bytes = Files.readAllBytes(Path.of(model.get("path").asText()).resolve(entry.getKey()));
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      assertThat(sha).as("%s changed since the goldens were made; regenerate them with "
          + "node models/reference/make_goldens.mjs", entry.getKey()).isEqualTo(entry.getValue().asText());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void tokenIdsAndSpansEqualTheGoldens(String id, Path file, JsonNode input) {
    String text = input.get("text").asText();
    Encoding encoding = golden(file).tokenizer().encode(text, true, false);
    List<Long> expectedIds = new ArrayList<>();
    input.get("token_ids").forEach(n -> expectedIds.add(n.asLong()));
    assertThat(encoding.getIds()).as("token ids of %s", id)
        .containsExactly(expectedIds.stream().mapToLong(Long::longValue).toArray());

    TextOffsets offsets = TextOffsets.of(text);
    CharSpan[] spans = encoding.getCharTokenSpans();
    JsonNode tokens = input.get("tokens");
    assertThat(tokens.size()).isEqualTo(expectedIds.size());
    for (int i = 0; i < tokens.size(); i++) {
      JsonNode token = tokens.get(i);
      assertThat(encoding.getTokens()[i]).isEqualTo(token.get("piece").asText());
      if (token.path("special").asBoolean(false)) {
        assertThat(encoding.getSpecialTokenMask()[i]).isEqualTo(1L);
        continue;
      }
      // The goldens derive token spans from transformers.js's tokenizer (normalizer and
      // pre-tokenizer, or the byte-level tokens); the tokenizers library (DJL) reports them in code
      // points.
      assertThat(new int[] {offsets.toUtf16(spans[i].getStart()), offsets.toUtf16(spans[i].getEnd())})
          .as("span of token %d (%s) of %s", i, token.get("piece").asText(), id)
          .containsExactly(token.get("start").asInt(), token.get("end").asInt());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void noneEqualsTheGoldenOrThePythonRule(String id, Path file, JsonNode input) throws Exception {
    Golden golden = golden(file);
    JsonNode deviation = golden.deviations().get(key(input.get("id").asText(), "none"));
    JsonNode expected = deviation != null ? deviation.get("python") : input.get("none");
    List<Entity> actual = tag(golden, input, AggregationStrategy.NONE);
    assertSame(id, input.get("text").asText(), actual, expected, "entity", true);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void simpleEqualsTheGoldenOrThePythonRule(String id, Path file, JsonNode input) throws Exception {
    Golden golden = golden(file);
    JsonNode deviation = golden.deviations().get(key(input.get("id").asText(), "simple"));
    JsonNode expected = deviation != null ? deviation.get("python") : input.get("simple");
    List<Entity> actual = tag(golden, input, AggregationStrategy.SIMPLE);
    assertSame(id, input.get("text").asText(), actual, expected, "entity_group", false);
  }

  /**
   * A text many windows long (windows of the model's 128 tokens, stride 32; for RoBERTa "ë" is two
   * byte tokens that share one span): each repetition of the sentence gives its three entities
   * once, at its own offsets in the whole text, after the windows are merged. With FIRST, RoBERTa's
   * "Frankfurt" takes the full stop: a tokenizer without a continuing-subword prefix makes the
   * pipeline guess words by spaces, and "." has no space before it (Python gives the same).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenFiles")
  void slidingWindowsFindEveryRepetitionOnce(Path file) throws Exception {
    String sentence = "Zoë Schmidt works for Deutsche Bank in Frankfurt.";
    int repeats = 30;
    String text = String.join(" ", Collections.nCopies(repeats, sentence));
    boolean wordAware = golden(file).recognizer().modelDir().wordAwareSubwords();
    for (AggregationStrategy strategy : List.of(AggregationStrategy.SIMPLE, AggregationStrategy.FIRST)) {
      var result = golden(file).recognizer().recognize(List.of(new NerRequest(text, strategy))).get(0);
      int locEnd = strategy == AggregationStrategy.FIRST && !wordAware ? 49 : 48;
      assertThat(result.windowCount()).as("windows of %s", file).isGreaterThan(2);
      List<String> want = new ArrayList<>();
      for (int k = 0; k < repeats; k++) {
        int at = k * (sentence.length() + 1);
        want.add("PER[" + at + "," + (at + 11) + ")");
        want.add("ORG[" + (at + 22) + "," + (at + 35) + ")");
        want.add("LOC[" + (at + 39) + "," + (at + locEnd) + ")");
      }
      assertThat(result.entities().stream().map(e -> e.label() + "[" + e.start() + "," + e.end() + ")"))
          .as("%s entities of %s", strategy, file).containsExactlyElementsOf(want);
    }
  }

  /** The deviation checks below must not pass vacuously: the BERT goldens do list deviations. */
  @Test
  void someGoldenListsKnownDeviations() {
    int listed = GOLDENS.stream().mapToInt(f -> golden(f).json().get("known_deviations").size()).sum();
    assertThat(listed).isPositive();
  }

  /**
   * Each listed deviation must differ from transformers.js and be explained by the golden's own
   * per-token table, so the list cannot grow with unexplained entries.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenFiles")
  void everyKnownDeviationIsGenuineAndExplained(Path file) {
    Golden golden = golden(file);
    Map<String, JsonNode> byId = new HashMap<>();
    golden.json().get("inputs").forEach(input -> byId.put(input.get("id").asText(), input));
    for (JsonNode deviation : golden.json().get("known_deviations")) {
      String id = deviation.get("id").asText();
      String strategy = deviation.get("strategy").asText();
      JsonNode input = byId.get(id);
      assertThat(input).as("deviation for unknown input %s", id).isNotNull();
      assertThat(strategy).isIn("none", "simple");
      JsonNode tjs = input.get(strategy);
      JsonNode python = deviation.get("python");
      assertThat(python).as("%s/%s python equals transformers.js", id, strategy).isNotEqualTo(stripWords(tjs));
      List<String> reasons = new ArrayList<>();
      deviation.get("reasons").forEach(r -> reasons.add(r.asText()));
      assertThat(reasons).isNotEmpty().allMatch(KNOWN_REASONS::contains);

      List<JsonNode> content = new ArrayList<>();
      input.get("tokens").forEach(t -> {
        if (!t.path("special").asBoolean(false)) {
          content.add(t);
        }
      });
      boolean labelledUnknown = content.stream()
          .anyMatch(t -> Objects.equals(t.get("piece").asText(), golden.unknownToken())
              && !t.get("label").asText().equals("O"));
      if (strategy.equals("none")) {
        assertThat(reasons).containsExactly("unk-token-dropped");
      }
      if (reasons.contains("unk-token-dropped")) {
        assertThat(labelledUnknown).as("%s lists a dropped unknown token but has no labelled one", id).isTrue();
      }
      if (reasons.contains("o-interruption")) {
        assertThat(spansAnOToken(tjs, content))
            .as("%s lists o-interruption but no transformers.js group spans an O token", id).isTrue();
        if (!labelledUnknown) {
          // Python closes the group at the O token, so it reports more entities.
          assertThat(python.size()).isGreaterThan(tjs.size());
        }
      }
    }
  }

  private static boolean spansAnOToken(JsonNode groups, List<JsonNode> content) {
    Map<Integer, Integer> position = new HashMap<>();
    for (int k = 0; k < content.size(); k++) {
      position.put(content.get(k).get("index").asInt(), k);
    }
    for (JsonNode group : groups) {
      JsonNode indices = group.get("token_indices");
      for (int k = 1; k < indices.size(); k++) {
        int from = position.get(indices.get(k - 1).asInt());
        int to = position.get(indices.get(k).asInt());
        for (int p = from + 1; p < to; p++) {
          if (content.get(p).get("label").asText().equals("O")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** The transformers.js entries without the fields the python entries do not carry. */
  private static JsonNode stripWords(JsonNode entities) {
    var copy = entities.deepCopy();
    copy.forEach(e -> ((ObjectNode) e).remove(List.of("word", "token_indices")));
    return copy;
  }

  private static List<Entity> tag(Golden golden, JsonNode input, AggregationStrategy strategy)
      throws Exception {
    return golden.recognizer()
        .recognize(List.of(new NerRequest(input.get("text").asText(), strategy))).get(0).entities();
  }

  private static void assertSame(String id, String text, List<Entity> actual, JsonNode expected,
      String labelField, boolean tokenIndices) {
    List<String> got = actual.stream()
        .map(e -> e.label() + "[" + e.start() + "," + e.end() + ")"
            + (tokenIndices ? "#" + e.tokenIndex() : ""))
        .toList();
    List<String> want = new ArrayList<>();
    expected.forEach(e -> want.add(e.get(labelField).asText() + "[" + e.get("start").asInt() + ","
        + e.get("end").asInt() + ")" + (tokenIndices ? "#" + e.get("index").asInt() : "")));
    assertThat(got).as("labels, UTF-16 spans%s of %s", tokenIndices ? " and token indices" : "", id)
        .containsExactlyElementsOf(want);
    for (int i = 0; i < actual.size(); i++) {
      Entity entity = actual.get(i);
      assertThat((double) entity.score()).as("score of entity %d (%s) of %s", i, got.get(i), id)
          .isCloseTo(expected.get(i).get("score").asDouble(), offset(SCORE_TOLERANCE));
      assertThat(entity.word()).isEqualTo(text.substring(entity.start(), entity.end()));
    }
  }
}
