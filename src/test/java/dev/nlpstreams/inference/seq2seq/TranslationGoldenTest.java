package dev.nlpstreams.inference.seq2seq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.seq2seq.Seq2SeqModelDir.DecoderLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our greedy translation against the transformers.js goldens in
 * {@code models/goldens/marian-tiny-en-de.json} (made by
 * {@code models/reference/make_translation_goldens.mjs}, checked in CI by
 * {@code check_goldens.sh}). transformers.js runs the merged decoder only; both of our decoder
 * layouts must give its exact token ids and text, batched and one text at a time. Golden
 * {@code generated_ids} exclude the decoder start token and end with eos, as ours do.
 */
class TranslationGoldenTest {

  static final Path GOLDEN = Path.of("models/goldens/marian-tiny-en-de.json");

  private static JsonNode golden;
  private static final Map<DecoderLayout, Seq2SeqModel> MODELS = new EnumMap<>(DecoderLayout.class);

  @BeforeAll
  static void load() throws IOException {
    golden = readGolden();
    Path dir = Path.of(golden.get("model").get("path").asText());
    for (DecoderLayout layout : DecoderLayout.values()) {
      MODELS.put(layout, Seq2SeqModel.load(dir, layout, InferenceSettings.cpuDefaults()));
    }
  }

  @AfterAll
  static void close() {
    MODELS.values().forEach(Seq2SeqModel::close);
    MODELS.clear();
  }

  private static JsonNode readGolden() throws IOException {
    return new ObjectMapper().readTree(GOLDEN.toFile());
  }

  static Stream<JsonNode> inputs() throws IOException {
    List<JsonNode> out = new ArrayList<>();
    readGolden().get("inputs").forEach(out::add);
    return out.stream();
  }

  private static List<String> texts() {
    List<String> texts = new ArrayList<>();
    golden.get("inputs").forEach(i -> texts.add(i.get("text").asText()));
    return texts;
  }

  private static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).intValue();
    }
    return out;
  }

  private static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).longValue();
    }
    return out;
  }

  @Test
  void goldensWereMadeFromTheCommittedModel() throws Exception {
    JsonNode model = golden.get("model");
    assertThat(golden.get("inputs").size()).isGreaterThanOrEqualTo(20);
    assertThat(model.get("sha256").size()).isEqualTo(9);
    var files = model.get("sha256").properties().iterator();
    while (files.hasNext()) {
      var file = files.next();
      byte[] bytes = Files.readAllBytes(Path.of(model.get("path").asText()).resolve(file.getKey()));
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      assertThat(sha).as("%s changed since the goldens were made; regenerate them with "
          + "node models/reference/make_translation_goldens.mjs", file.getKey())
          .isEqualTo(file.getValue().asText());
    }
  }

  @Test
  void goldenIdsExcludeTheStartTokenAndEndWithEos() {
    int start = golden.get("model").get("decoder_start_token_id").intValue();
    int eos = golden.get("model").get("eos_token_id").intValue();
    for (JsonNode input : golden.get("inputs")) {
      int[] ids = ints(input.get("generated_ids"));
      assertThat(ids).as(input.get("id").asText()).isNotEmpty().doesNotContain(start);
      assertThat(ids[ids.length - 1]).as(input.get("id").asText()).isEqualTo(eos);
      assertThat(input.get("ends_with_eos").booleanValue()).isTrue();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void sourceIdsEqualTheGoldens(JsonNode input) {
    for (Seq2SeqModel model : MODELS.values()) {
      assertThat(model.tokenize(input.get("text").asText()))
          .as("%s: source ids of %s", model.layout(), input.get("id").asText())
          .containsExactly(longs(input.get("source_ids")));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(DecoderLayout.class)
  void batchedGenerationEqualsTheGoldens(DecoderLayout layout) {
    Seq2SeqModel model = MODELS.get(layout);
    List<Seq2SeqModel.Generated> out = model.generate(texts(), model.defaults());
    assertThat(out).hasSize(golden.get("inputs").size());
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < out.size(); i++) {
      mismatches.addAll(compare(golden.get("inputs").get(i), out.get(i)));
    }
    assertThat(mismatches).as("%s, batched", layout).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(DecoderLayout.class)
  void oneAtATimeGenerationEqualsTheGoldens(DecoderLayout layout) {
    Seq2SeqModel model = MODELS.get(layout);
    List<String> mismatches = new ArrayList<>();
    for (JsonNode input : golden.get("inputs")) {
      List<Seq2SeqModel.Generated> out =
          model.generate(List.of(input.get("text").asText()), model.defaults());
      assertThat(out).hasSize(1);
      mismatches.addAll(compare(input, out.get(0)));
    }
    assertThat(mismatches).as("%s, one at a time", layout).isEmpty();
  }

  private static List<String> compare(JsonNode input, Seq2SeqModel.Generated got) {
    List<String> problems = new ArrayList<>();
    String id = input.get("id").asText();
    int[] ids = ints(input.get("generated_ids"));
    if (!java.util.Arrays.equals(ids, got.tokenIds())) {
      problems.add(id + ": ids " + java.util.Arrays.toString(got.tokenIds()) + " != golden "
          + java.util.Arrays.toString(ids));
    }
    String text = input.get("translation").asText();
    if (!text.equals(got.text())) {
      problems.add(id + ": text \"" + got.text() + "\" != golden \"" + text + "\"");
    }
    return problems;
  }
}
