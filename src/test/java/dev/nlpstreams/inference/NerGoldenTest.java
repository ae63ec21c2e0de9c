package dev.nlpstreams.inference;

import dev.nlpstreams.text.ner.TextOffsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nlpstreams.text.ner.AggregationStrategy;
import dev.nlpstreams.text.ner.Entity;
import dev.nlpstreams.text.task.NerRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our NER output against the transformers.js goldens in {@code models/goldens/} (made by
 * {@code models/reference/make_goldens.mjs}, checked in CI by {@code check_goldens.sh}).
 *
 * <p>Where the golden file lists a known deviation (transformers.js differs from the Hugging Face
 * Python pipeline, which we follow), our output must equal the deviation's {@code python} result
 * instead, and the deviation must be one the per-token table of the goldens explains.
 */
class NerGoldenTest {

  static final Path GOLDEN = Path.of("models/goldens/ner-bert-wordpiece.json");
  static final double SCORE_TOLERANCE = 1e-4;
  static final Set<String> KNOWN_REASONS = Set.of("o-interruption", "unk-token-dropped");

  private static JsonNode golden;
  private static Map<String, JsonNode> deviations;
  private static OnnxEntityRecognizer recognizer;
  private static HuggingFaceTokenizer tokenizer;

  @BeforeAll
  static void load() throws IOException {
    golden = readGolden();
    deviations = new HashMap<>();
    for (JsonNode d : golden.get("known_deviations")) {
      JsonNode previous = deviations.put(key(d.get("id").asText(), d.get("strategy").asText()), d);
      assertThat(previous).as("duplicate deviation %s", d).isNull();
    }
    Path model = Path.of(golden.get("model").get("path").asText());
    recognizer = OnnxEntityRecognizer.load(model, "ner-golden", 0, 32,
        InferenceSettings.cpuDefaults());
    tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(model.resolve("tokenizer.json"))
        .optAddSpecialTokens(true).optTruncation(false).optPadding(false).build();
  }

  @AfterAll
  static void close() {
    if (recognizer != null) {
      recognizer.close();
    }
    if (tokenizer != null) {
      tokenizer.close();
    }
  }

  private static JsonNode readGolden() throws IOException {
    return new ObjectMapper().readTree(GOLDEN.toFile());
  }

  private static String key(String id, String strategy) {
    return id + "/" + strategy;
  }

  static Stream<Arguments> inputs() throws IOException {
    List<Arguments> args = new ArrayList<>();
    for (JsonNode input : readGolden().get("inputs")) {
      args.add(Arguments.of(input.get("id").asText(), input));
    }
    return args.stream();
  }

  @Test
  void goldensWereMadeFromTheCommittedModel() throws Exception {
    JsonNode model = golden.get("model");
    assertThat(golden.get("inputs").size()).isGreaterThanOrEqualTo(30);
    var files = model.get("sha256").properties().iterator();
    while (files.hasNext()) {
      var file = files.next();
      byte[] bytes = Files.readAllBytes(Path.of(model.get("path").asText()).resolve(file.getKey()));
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      assertThat(sha).as("%s changed since the goldens were made; regenerate them with "
          + "node models/reference/make_goldens.mjs", file.getKey()).isEqualTo(file.getValue().asText());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void tokenIdsAndSpansEqualTheGoldens(String id, JsonNode input) {
    String text = input.get("text").asText();
    Encoding encoding = tokenizer.encode(text, true, false);
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
      // The goldens derive token spans from transformers.js's normalizer and pre-tokenizer; the
      // tokenizers library (DJL) reports them in code points.
      assertThat(new int[] {offsets.toUtf16(spans[i].getStart()), offsets.toUtf16(spans[i].getEnd())})
          .as("span of token %d (%s) of %s", i, token.get("piece").asText(), id)
          .containsExactly(token.get("start").asInt(), token.get("end").asInt());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void noneEqualsTheGoldenOrThePythonRule(String id, JsonNode input) throws Exception {
    JsonNode deviation = deviations.get(key(id, "none"));
    JsonNode expected = deviation != null ? deviation.get("python") : input.get("none");
    List<Entity> actual = tag(input, AggregationStrategy.NONE);
    assertSame(id, input.get("text").asText(), actual, expected, "entity", true);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void simpleEqualsTheGoldenOrThePythonRule(String id, JsonNode input) throws Exception {
    JsonNode deviation = deviations.get(key(id, "simple"));
    JsonNode expected = deviation != null ? deviation.get("python") : input.get("simple");
    List<Entity> actual = tag(input, AggregationStrategy.SIMPLE);
    assertSame(id, input.get("text").asText(), actual, expected, "entity_group", false);
  }

  /**
   * Each listed deviation must differ from transformers.js and be explained by the golden's own
   * per-token table, so the list cannot grow with unexplained entries.
   */
  @Test
  void everyKnownDeviationIsGenuineAndExplained() {
    Map<String, JsonNode> byId = new HashMap<>();
    golden.get("inputs").forEach(input -> byId.put(input.get("id").asText(), input));
    assertThat(golden.get("known_deviations")).isNotEmpty();
    for (JsonNode deviation : golden.get("known_deviations")) {
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
          .anyMatch(t -> t.get("piece").asText().equals("[UNK]") && !t.get("label").asText().equals("O"));
      if (strategy.equals("none")) {
        assertThat(reasons).containsExactly("unk-token-dropped");
      }
      if (reasons.contains("unk-token-dropped")) {
        assertThat(labelledUnknown).as("%s lists a dropped [UNK] but has no labelled [UNK]", id).isTrue();
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
    copy.forEach(e -> ((com.fasterxml.jackson.databind.node.ObjectNode) e)
        .remove(List.of("word", "token_indices")));
    return copy;
  }

  private static List<Entity> tag(JsonNode input, AggregationStrategy strategy) throws Exception {
    return recognizer.recognize(List.of(new NerRequest(input.get("text").asText(), strategy)))
        .get(0).entities();
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
