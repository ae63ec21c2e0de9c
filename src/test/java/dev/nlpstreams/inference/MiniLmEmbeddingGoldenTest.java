package dev.nlpstreams.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nlpstreams.text.embedding.SentenceEmbedding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our sentence embeddings of all-MiniLM-L6-v2 int8 (real ONNX Runtime, real tokenizer, real model)
 * against the transformers.js golden {@code models/goldens/minilm-embeddings.json} (made by
 * {@code models/reference/make_embedding_goldens.mjs}, checked in CI by {@code check_goldens.sh}).
 *
 * <p>The graph quantizes its activations per tensor, so a text padded in a batch gets a slightly
 * different vector than alone: both must stay within {@link #MIN_COSINE} of the golden, which ran
 * every text alone. Where the golden lists a known deviation (transformers.js truncates away the
 * final [SEP]), our vector must match the deviation's {@code python_embedding} instead.
 */
class MiniLmEmbeddingGoldenTest {

  static final Path GOLDEN = Path.of("models/goldens/minilm-embeddings.json");
  static final double MIN_COSINE = 0.9999;
  /**
   * Inputs on which ONNX Runtime 1.29 (ours) and 1.30 (the onnxruntime-node under transformers.js
   * 4.3.1) give different vectors for this int8 graph, with the least cosine to the golden we accept
   * for them; measured alone: kafka 0.99977, long-150 0.99981, long-truncated 0.99431 (an
   * activation rounding that lands on the other side of a quantization step spreads through the
   * later layers; long texts have more chances). onnxruntime-node 1.29.0 run directly on the
   * golden's ids (python_token_ids for long-truncated) gives our cosines to 7 digits, so the
   * difference is the runtime release, not our tokenizer, feeding or pooling. Every other input gives
   * 0.99997 or more. The entries must stay genuine (below {@link #MIN_COSINE}): once our ONNX
   * Runtime matches the golden's, the test says to remove them.
   */
  static final Map<String, Double> ORT_RELEASE_DIFFERENCES =
      Map.of("kafka", 0.9995, "long-150", 0.9995, "long-truncated", 0.99);
  /**
   * Companions in a run move a vector (per-tensor activation quantization); seen: 0.9525 for our
   * length buckets over all inputs, 0.963 in transformers.js's batches.
   */
  static final double MIN_COSINE_IN_MIXED_BATCHES = 0.94;
  static final int DIMENSION = 384;

  private static OnnxSentenceEmbedder embedder;
  private static JsonNode golden;
  private static final Map<String, JsonNode> DEVIATIONS = new HashMap<>();

  @BeforeAll
  static void load() {
    golden = ModelFiles.readTree(GOLDEN);
    for (JsonNode deviation : golden.get("known_deviations")) {
      DEVIATIONS.put(deviation.get("id").asText(), deviation);
    }
    embedder = OnnxSentenceEmbedder.load(MiniLmEmbeddingModel.directory(),
        "all-minilm-l6-v2-int8", true, InferenceSettings.cpuDefaults());
  }

  @AfterAll
  static void close() {
    if (embedder != null) {
      embedder.close();
    }
  }

  @Test
  void theGoldenWasMadeFromTheSameFilesWeLoad() {
    JsonNode hashes = golden.get("model").get("sha256");
    assertThat(hashes.get("onnx/model.onnx").asText()).isEqualTo(MiniLmEmbeddingModel.ONNX_SHA256);
    for (String file : List.of("config.json", "tokenizer.json", "tokenizer_config.json",
        "1_Pooling/config.json", "onnx/model.onnx")) {
      java.security.MessageDigest digest = ModelFiles.sha256();
      ModelFiles.feed(digest, MiniLmEmbeddingModel.DIRECTORY.resolve(file));
      assertThat(java.util.HexFormat.of().formatHex(digest.digest())).as(file)
          .isEqualTo(hashes.get(file).asText());
    }
    assertThat(golden.get("model").get("model_max_length").asInt())
        .isEqualTo(embedder.modelDir().maxLength()).isEqualTo(256);
    assertThat(golden.get("model").get("dimension").asInt()).isEqualTo(embedder.dimension())
        .isEqualTo(DIMENSION);
  }

  @Test
  void tokenIdsEqualTheGoldensOrTheDeviationsPythonIds() {
    for (JsonNode input : golden.get("inputs")) {
      String id = input.get("id").asText();
      JsonNode deviation = DEVIATIONS.get(id);
      JsonNode expected = deviation != null ? deviation.get("python_token_ids")
          : input.get("token_ids");
      assertThat(embedder.modelInputIds(input.get("text").asText())).as(id)
          .containsExactly(longs(expected));
    }
  }

  @Test
  void everyTextAloneIsWithinTheToleranceOfTheGolden() throws Exception {
    double min = 1;
    double minUnlisted = 1;
    for (JsonNode input : golden.get("inputs")) {
      String id = input.get("id").asText();
      JsonNode deviation = DEVIATIONS.get(id);
      float[] expected = floats(deviation != null ? deviation.get("python_embedding")
          : input.get("embedding"));
      SentenceEmbedding alone = embedder.embed(List.of(input.get("text").asText()), 30_000).get(0);

      assertShape(id, input, alone);
      double cosine = cosine(alone.vector(), expected);
      assertThat(cosine).as("cosine of %s alone", id).isGreaterThanOrEqualTo(minCosine(id));
      if (ORT_RELEASE_DIFFERENCES.containsKey(id)) {
        assertThat(cosine).as("%s is listed in ORT_RELEASE_DIFFERENCES but matches the golden:"
            + " remove it", id).isLessThan(MIN_COSINE);
      }
      min = Math.min(min, cosine);
      if (!ORT_RELEASE_DIFFERENCES.containsKey(id)) {
        minUnlisted = Math.min(minUnlisted, cosine);
      }
      if (deviation != null) {
        // The deviation is genuine: transformers.js's own vector is not what we should give.
        assertThat(cosine(alone.vector(), floats(input.get("embedding")))).as(id)
            .isLessThan(MIN_COSINE);
      }
    }
    System.out.printf("MiniLM embedding golden: %d texts alone, min cosine %.7f (%.7f without"
        + " ORT_RELEASE_DIFFERENCES)%n", golden.get("inputs").size(), min, minUnlisted);
  }

  @Test
  void textsBatchedTogetherAsTheGoldenBatchedThemMatchItsBatchedVectors() throws Exception {
    double min = 1;
    for (JsonNode batch : golden.get("batches")) {
      List<String> ids = new ArrayList<>();
      batch.get("ids").forEach(id -> ids.add(id.asText()));
      List<String> texts = ids.stream().map(id -> input(id).get("text").asText()).toList();
      // Close lengths: the length buckets keep the group in one run, as transformers.js ran it.
      List<SentenceEmbedding> embeddings = embedder.embed(texts, 30_000);
      for (int i = 0; i < ids.size(); i++) {
        String id = ids.get(i);
        assertShape(id, input(id), embeddings.get(i));
        double cosine = cosine(embeddings.get(i).vector(),
            floats(batch.get("embeddings").get(id).get("embedding")));
        assertThat(cosine).as("cosine of %s in batch %s", id, ids)
            .isGreaterThanOrEqualTo(minCosine(id));
        min = Math.min(min, cosine);
      }
    }
    System.out.printf("MiniLM embedding golden: batches as transformers.js ran them, min cosine"
        + " %.7f%n", min);
  }

  /**
   * All texts in one call, cut into length buckets by our planner: batch companions differ from
   * any the golden ran, so each vector is compared with the text alone, within what per-tensor
   * activation quantization moves a vector.
   */
  @Test
  void allTextsInOneCallStayCloseToTheirVectorsAlone() throws Exception {
    List<JsonNode> inputs = new ArrayList<>();
    golden.get("inputs").forEach(inputs::add);
    List<SentenceEmbedding> batched =
        embedder.embed(inputs.stream().map(i -> i.get("text").asText()).toList(), 30_000);
    double min = 1;
    for (int i = 0; i < inputs.size(); i++) {
      JsonNode input = inputs.get(i);
      String id = input.get("id").asText();
      JsonNode deviation = DEVIATIONS.get(id);
      assertShape(id, input, batched.get(i));
      double cosine = cosine(batched.get(i).vector(), floats(deviation != null
          ? deviation.get("python_embedding") : input.get("embedding")));
      assertThat(cosine).as("cosine of %s batched", id)
          .isGreaterThanOrEqualTo(MIN_COSINE_IN_MIXED_BATCHES);
      min = Math.min(min, cosine);
    }
    System.out.printf("MiniLM embedding golden: %d texts in one call, min cosine to alone %.7f%n",
        inputs.size(), min);
  }

  private static void assertShape(String id, JsonNode input, SentenceEmbedding embedding) {
    assertThat(embedding.vector()).as(id).hasSize(DIMENSION);
    assertThat(norm(embedding.vector())).as("norm of %s", id)
        .isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-5));
    assertThat(embedding.truncated()).as(id).isEqualTo(input.get("truncated").asBoolean());
    assertThat(embedding.tokenCount()).as(id).isEqualTo(input.get("token_ids").size());
  }

  private static JsonNode input(String id) {
    for (JsonNode input : golden.get("inputs")) {
      if (input.get("id").asText().equals(id)) {
        return input;
      }
    }
    throw new AssertionError("No input " + id + " in " + GOLDEN);
  }

  private static double minCosine(String id) {
    return ORT_RELEASE_DIFFERENCES.getOrDefault(id, MIN_COSINE);
  }

  @Test
  void similarSentencesAreCloserThanUnrelatedOnes() throws Exception {
    List<SentenceEmbedding> vectors = embedder.embed(List.of("The cat sits on the mat.",
        "A cat is sitting on a mat.", "Kafka Streams processes records one at a time."), 30_000);
    double similar = cosine(vectors.get(0).vector(), vectors.get(1).vector());
    double unrelated = cosine(vectors.get(0).vector(), vectors.get(2).vector());
    assertThat(similar).isGreaterThan(0.8);
    assertThat(unrelated).isLessThan(0.3);
  }

  static long[] longs(JsonNode array) {
    long[] values = new long[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asLong();
    }
    return values;
  }

  static float[] floats(JsonNode array) {
    float[] values = new float[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) array.get(i).asDouble();
    }
    return values;
  }

  static double cosine(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  static double norm(float[] vector) {
    double squares = 0;
    for (float value : vector) {
      squares += (double) value * value;
    }
    return Math.sqrt(squares);
  }
}
