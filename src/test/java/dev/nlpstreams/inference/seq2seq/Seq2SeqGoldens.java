package dev.nlpstreams.inference.seq2seq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.seq2seq.Seq2SeqModelDir.DecoderLayout;
import dev.nlpstreams.text.generation.GenerationConfig;
import dev.nlpstreams.text.task.GeneratedText;
import dev.nlpstreams.text.task.GenerationPurpose;
import dev.nlpstreams.text.task.GenerationRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/**
 * Checks of our generation against the transformers.js goldens in {@code models/goldens} (made by
 * {@code models/reference/make_translation_goldens.mjs} and {@code make_summary_goldens.mjs},
 * checked in CI by {@code check_goldens.sh}): every golden file of a task, in both decoder layouts,
 * through the {@link dev.nlpstreams.text.task.TextGenerator} contract (our prefixes, templates and
 * language tokens, not the golden's source ids). transformers.js runs the merged decoder only; both
 * of our layouts must give its exact token ids and text, in one mixed batch, in length buckets and
 * one text at a time. Golden {@code generated_ids} exclude the decoder start token and end with eos,
 * as ours do. Where the golden lists a known deviation (the Python pipeline decodes differently from
 * transformers.js) the Python text is expected: the Python pipeline is the definition we follow.
 */
final class Seq2SeqGoldens {

  static final Path GOLDENS = Path.of("models/goldens");
  static final Path TINY_MODELS = Path.of("models/tiny");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Loaded generators by golden model path and layout, shared by the tests of one class. */
  private final Map<String, OnnxTextGenerator> loaded = new HashMap<>();

  /** One golden file. */
  record Golden(Path file, JsonNode json) {
    String task() {
      return json.path("generator").path("task").asText();
    }

    Path modelDir() {
      return Path.of(json.path("model").path("path").asText());
    }

    List<JsonNode> inputs() {
      List<JsonNode> out = new ArrayList<>();
      json.path("inputs").forEach(out::add);
      return out;
    }

    GenerationPurpose purpose() {
      return task().equals("summarization") ? GenerationPurpose.SUMMARIZE
          : GenerationPurpose.TRANSLATE;
    }

    /** The request a user of our contract sends: the bare text, languages when the input has them. */
    GenerationRequest request(JsonNode input) {
      String text = input.path("text").asText();
      return purpose() == GenerationPurpose.SUMMARIZE ? GenerationRequest.summarize(text)
          : GenerationRequest.translate(text, textOrNull(input, "src_lang"),
              textOrNull(input, "tgt_lang"));
    }

    /** The golden text, or the Python pipeline's where the golden lists a deviation. */
    String expectedText(JsonNode input) {
      String field = purpose() == GenerationPurpose.SUMMARIZE ? "summary" : "translation";
      for (JsonNode deviation : json.path("known_deviations")) {
        if (deviation.path("id").asText().equals(input.path("id").asText())) {
          return deviation.path("python_" + field).asText();
        }
      }
      return input.path(field).asText();
    }

    @Override
    public String toString() {
      return file.getFileName().toString();
    }
  }

  /** Every golden file of a task ("translation", "summarization"), by name. */
  static List<Golden> goldens(String task) {
    try (Stream<Path> files = Files.list(GOLDENS)) {
      List<Golden> out = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode json = JSON.readTree(file.toFile());
        if (json.path("generator").path("task").asText().equals(task)) {
          out.add(new Golden(file, json));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Committed seq2seq model directories (those with an encoder graph). */
  static List<Path> committedSeq2SeqModels() {
    try (Stream<Path> dirs = Files.list(TINY_MODELS)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("onnx/encoder_model.onnx")))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  OnnxTextGenerator generator(Golden golden, DecoderLayout layout) {
    return loaded.computeIfAbsent(golden.modelDir() + "|" + layout, k -> OnnxTextGenerator.load(
        golden.modelDir(), golden.modelDir().getFileName().toString(), layout,
        InferenceSettings.cpuDefaults()));
  }

  void close() {
    loaded.values().forEach(OnnxTextGenerator::close);
    loaded.clear();
  }

  /** All checks of one golden file, as a container of dynamic tests. */
  DynamicContainer checks(Golden golden) {
    List<DynamicNode> tests = new ArrayList<>();
    tests.add(DynamicTest.dynamicTest("made from the committed model", () -> checkHashes(golden)));
    tests.add(DynamicTest.dynamicTest("golden ids exclude the start token and end with eos",
        () -> checkGoldenShape(golden)));
    for (DecoderLayout layout : DecoderLayout.values()) {
      tests.add(DynamicTest.dynamicTest(layout + ": source ids and counts",
          () -> checkSources(golden, layout)));
      tests.add(DynamicTest.dynamicTest(layout + ": one mixed batch",
          () -> checkGeneration(golden, layout, Mode.ONE_BATCH)));
      tests.add(DynamicTest.dynamicTest(layout + ": length buckets",
          () -> checkGeneration(golden, layout, Mode.BUCKETS)));
      tests.add(DynamicTest.dynamicTest(layout + ": one at a time",
          () -> checkGeneration(golden, layout, Mode.ONE_AT_A_TIME)));
    }
    return DynamicContainer.dynamicContainer(golden.toString(), tests);
  }

  private static void checkHashes(Golden golden) throws Exception {
    JsonNode sha = golden.json().path("model").path("sha256");
    assertThat(sha.size()).as("hashed files").isGreaterThanOrEqualTo(6);
    var files = sha.properties().iterator();
    while (files.hasNext()) {
      var file = files.next();
      byte[] bytes = Files.readAllBytes(golden.modelDir().resolve(file.getKey()));
      String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      assertThat(actual).as("%s changed since %s was made; regenerate the goldens (see"
          + " models/reference/README.md)", file.getKey(), golden).isEqualTo(file.getValue().asText());
    }
  }

  private static void checkGoldenShape(Golden golden) {
    int start = golden.json().path("model").path("decoder_start_token_id").intValue();
    int eos = golden.json().path("model").path("eos_token_id").intValue();
    assertThat(golden.inputs()).as("inputs").hasSizeGreaterThanOrEqualTo(10);
    for (JsonNode input : golden.inputs()) {
      int[] ids = ints(input.path("generated_ids"));
      String id = input.path("id").asText();
      assertThat(ids).as(id).isNotEmpty();
      if (start != eos) {
        assertThat(ids).as(id).doesNotContain(start);
      }
      if (input.path("ends_with_eos").booleanValue()) {
        assertThat(ids[ids.length - 1]).as(id).isEqualTo(eos);
      }
    }
  }

  private void checkSources(Golden golden, DecoderLayout layout) {
    OnnxTextGenerator generator = generator(golden, layout);
    List<String> problems = new ArrayList<>();
    for (JsonNode input : golden.inputs()) {
      GenerationRequest request = golden.request(input);
      long[] expected = longs(input.path("source_ids"));
      long[] actual = generator.sourceIds(request);
      if (!Arrays.equals(expected, actual)) {
        problems.add(input.path("id").asText() + ": source ids " + Arrays.toString(actual)
            + " != golden " + Arrays.toString(expected));
      }
      if (generator.countTokens(request) != expected.length) {
        problems.add(input.path("id").asText() + ": countTokens " + generator.countTokens(request)
            + " != " + expected.length);
      }
    }
    assertThat(problems).as("%s, %s", golden, layout).isEmpty();
  }

  private enum Mode { ONE_BATCH, BUCKETS, ONE_AT_A_TIME }

  private void checkGeneration(Golden golden, DecoderLayout layout, Mode mode) throws Exception {
    OnnxTextGenerator generator = generator(golden, layout);
    // transformers.js decodes with the model's generation_config.json (no task_specific_params).
    GenerationConfig config = GenerationConfig.fromLayers(generator.defaultLayers());
    List<JsonNode> inputs = golden.inputs();
    List<GenerationRequest> requests = inputs.stream().map(golden::request).toList();
    List<GeneratedText> out = new ArrayList<>();
    switch (mode) {
      case ONE_BATCH -> out.addAll(generator.generate(requests, config, true));
      case BUCKETS -> out.addAll(generator.generate(requests, config));
      case ONE_AT_A_TIME -> {
        for (GenerationRequest request : requests) {
          out.addAll(generator.generate(List.of(request), config));
        }
      }
      default -> throw new AssertionError(mode);
    }
    assertThat(out).hasSize(inputs.size());
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      JsonNode input = inputs.get(i);
      String id = input.path("id").asText();
      int[] ids = ints(input.path("generated_ids"));
      if (!Arrays.equals(ids, out.get(i).tokenIds())) {
        problems.add(id + ": ids " + Arrays.toString(out.get(i).tokenIds()) + " != golden "
            + Arrays.toString(ids));
      }
      String text = golden.expectedText(input);
      if (!text.equals(out.get(i).text())) {
        problems.add(id + ": text \"" + out.get(i).text() + "\" != golden \"" + text + "\"");
      }
      if (out.get(i).sourceTokens() != input.path("source_ids").size()) {
        problems.add(id + ": sourceTokens " + out.get(i).sourceTokens());
      }
    }
    assertThat(problems).as("%s, %s, %s", golden, layout, mode).isEmpty();
  }

  private static String textOrNull(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).intValue();
    }
    return out;
  }

  static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).longValue();
    }
    return out;
  }
}
