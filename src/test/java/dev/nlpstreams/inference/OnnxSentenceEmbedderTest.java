package dev.nlpstreams.inference;

import static dev.nlpstreams.inference.MiniLmEmbeddingGoldenTest.cosine;
import static dev.nlpstreams.inference.MiniLmEmbeddingGoldenTest.norm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.nlpstreams.text.embedding.PoolingMode;
import dev.nlpstreams.text.embedding.SentenceEmbedding;
import dev.nlpstreams.text.embedding.SentencePooler;
import dev.nlpstreams.text.task.InferenceStoppedException;
import dev.nlpstreams.text.task.InferenceTimeoutException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedder on the real all-MiniLM-L6-v2 int8 through the real ONNX Runtime and tokenizer: how
 * {@code 1_Pooling/config.json} and the normalise flag change the vectors, truncation, deadlines,
 * shutdown, and the refusals of a directory that cannot work.
 */
class OnnxSentenceEmbedderTest {

  private static final String TEXT = "Kafka Streams processes records one at a time.";
  private static final InferenceSettings SETTINGS = InferenceSettings.cpuDefaults();
  private static OnnxSentenceEmbedder meanNormalised;

  @BeforeAll
  static void load() {
    meanNormalised = OnnxSentenceEmbedder.load(MiniLmEmbeddingModel.directory(), "minilm", true,
        SETTINGS);
  }

  @AfterAll
  static void close() {
    if (meanNormalised != null) {
      meanNormalised.close();
    }
  }

  private static float[] embed(OnnxSentenceEmbedder embedder, String text) throws Exception {
    return embedder.embed(List.of(text), 30_000).get(0).vector();
  }

  /** A copy of the model directory whose 1_Pooling/config.json is {@code poolingJson} (null: none). */
  private static Path withPooling(Path dir, String poolingJson) throws IOException {
    MiniLmEmbeddingModel.copyTo(dir);
    Path pooling = dir.resolve("1_Pooling/config.json");
    if (poolingJson == null) {
      Files.delete(pooling);
      Files.delete(pooling.getParent());
    } else {
      Files.writeString(pooling, poolingJson);
    }
    return dir;
  }

  private static String pooling(PoolingMode... modes) {
    StringBuilder json = new StringBuilder("{\"word_embedding_dimension\": 384");
    for (PoolingMode mode : modes) {
      json.append(", \"").append(mode.configKey()).append("\": true");
    }
    return json.append('}').toString();
  }

  @Test
  void readsTheAssembledDirectory() {
    SentenceEmbeddingModelDir dir = meanNormalised.modelDir();
    assertThat(dir.modelType()).isEqualTo("bert");
    assertThat(dir.maxLength()).isEqualTo(256);
    assertThat(dir.maxLengthSource()).isEqualTo("sentence_bert_config.json max_seq_length");
    assertThat(dir.pooling().modes()).containsExactly(PoolingMode.MEAN);
    assertThat(dir.poolingSource()).isEqualTo("1_Pooling/config.json");
    assertThat(meanNormalised.identity().version()).isEqualTo("afdb6f1a0e45b715");
    assertThat(meanNormalised.identity().device()).isEqualTo("cpu");
    assertThat(meanNormalised.dimension()).isEqualTo(384);
    assertThat(meanNormalised.normalizes()).isTrue();
    assertThat(meanNormalised.pooling().label()).isEqualTo("mean");
    assertThat(meanNormalised.countTokens("Hello world.")).isEqualTo(3); // hello world .
  }

  @Test
  void withoutAPoolingConfigItMeanPoolsExactlyAsTheConfigSays(@TempDir Path dir)
      throws Exception {
    try (OnnxSentenceEmbedder noConfig =
        OnnxSentenceEmbedder.load(withPooling(dir, null), "minilm", true, SETTINGS)) {
      assertThat(noConfig.modelDir().poolingSource()).startsWith("mean (no 1_Pooling");
      assertThat(embed(noConfig, TEXT)).containsExactly(embed(meanNormalised, TEXT));
    }
  }

  @Test
  void clsAndMaxPoolingGiveOtherVectorsThanMean(@TempDir Path cls, @TempDir Path max)
      throws Exception {
    float[] mean = embed(meanNormalised, TEXT);
    try (OnnxSentenceEmbedder clsEmbedder = OnnxSentenceEmbedder.load(
            withPooling(cls, pooling(PoolingMode.CLS)), "minilm-cls", true, SETTINGS);
        OnnxSentenceEmbedder maxEmbedder = OnnxSentenceEmbedder.load(
            withPooling(max, pooling(PoolingMode.MAX)), "minilm-max", true, SETTINGS)) {
      float[] first = embed(clsEmbedder, TEXT);
      float[] largest = embed(maxEmbedder, TEXT);
      assertThat(first).hasSize(384);
      assertThat(largest).hasSize(384);
      assertThat(cosine(first, mean)).isLessThan(0.99);
      assertThat(cosine(largest, mean)).isLessThan(0.99);
      assertThat(cosine(first, largest)).isLessThan(0.99);
      assertThat(norm(first)).isCloseTo(1.0, within(1e-5));
    }
  }

  @Test
  void severalModesConcatenateTheSingleModeVectors(@TempDir Path both, @TempDir Path cls,
      @TempDir Path mean) throws Exception {
    try (OnnxSentenceEmbedder concatenated = OnnxSentenceEmbedder.load(
            withPooling(both, pooling(PoolingMode.MEAN, PoolingMode.CLS)), "both", false, SETTINGS);
        OnnxSentenceEmbedder clsOnly = OnnxSentenceEmbedder.load(
            withPooling(cls, pooling(PoolingMode.CLS)), "cls", false, SETTINGS);
        OnnxSentenceEmbedder meanOnly = OnnxSentenceEmbedder.load(
            withPooling(mean, pooling(PoolingMode.MEAN)), "mean", false, SETTINGS)) {
      float[] vector = embed(concatenated, TEXT);
      assertThat(concatenated.dimension()).isEqualTo(768);
      assertThat(vector).hasSize(768);
      // Sentence-Transformers order: CLS first, then mean.
      assertThat(Arrays.copyOfRange(vector, 0, 384)).containsExactly(embed(clsOnly, TEXT));
      assertThat(Arrays.copyOfRange(vector, 384, 768)).containsExactly(embed(meanOnly, TEXT));
    }
  }

  @Test
  void withoutNormalisationTheVectorKeepsItsLengthAndItsDirection(@TempDir Path dir)
      throws Exception {
    try (OnnxSentenceEmbedder raw = OnnxSentenceEmbedder.load(MiniLmEmbeddingModel.copyTo(dir),
        "raw", false, SETTINGS)) {
      float[] unnormalised = embed(raw, TEXT);
      assertThat(raw.normalizes()).isFalse();
      assertThat(norm(unnormalised)).isNotCloseTo(1.0, within(0.01));
      float[] normalised = embed(meanNormalised, TEXT);
      float[] scaled = SentencePooler.l2Normalized(unnormalised);
      for (int i = 0; i < scaled.length; i++) {
        assertThat(scaled[i]).isCloseTo(normalised[i], within(1e-6f));
      }
    }
  }

  @Test
  void longTextsAreCutAtTheModelLengthAndSaySo() throws Exception {
    String longText = String.join(" ", Collections.nCopies(400, "stream"));
    List<SentenceEmbedding> embeddings =
        meanNormalised.embed(List.of(longText, "short text"), 30_000);
    assertThat(embeddings.get(0).tokenCount()).isEqualTo(256);
    assertThat(embeddings.get(0).truncated()).isTrue();
    assertThat(embeddings.get(1).tokenCount()).isEqualTo(4);
    assertThat(embeddings.get(1).truncated()).isFalse();
    long[] ids = meanNormalised.modelInputIds(longText);
    assertThat(ids[0]).isEqualTo(101);   // [CLS]
    assertThat(ids[255]).isEqualTo(102); // [SEP] kept, as Hugging Face tokenizers truncate
    assertThat(meanNormalised.countTokens(longText)).isEqualTo(400);
  }

  @Test
  void emptyInputGivesNoEmbeddingsAndEmptyTextGivesOne() throws Exception {
    assertThat(meanNormalised.embed(List.of(), 30_000)).isEmpty();
    SentenceEmbedding empty = meanNormalised.embed(List.of(""), 30_000).get(0);
    assertThat(empty.tokenCount()).isEqualTo(2); // [CLS] [SEP]
    assertThat(norm(empty.vector())).isCloseTo(1.0, within(1e-5));
  }

  @Test
  void aRunPastItsDeadlineIsCancelled() {
    String longText = String.join(" ", Collections.nCopies(300, "deadline"));
    List<String> batch = Collections.nCopies(32, longText);
    assertThatThrownBy(() -> meanNormalised.embed(batch, 1))
        .isInstanceOf(InferenceTimeoutException.class)
        .hasMessageContaining("exceeded its deadline of 1 ms");
  }

  @Test
  void afterStopRunsNoRunStartsAndCloseIsIdempotent(@TempDir Path dir) throws Exception {
    OnnxSentenceEmbedder embedder = OnnxSentenceEmbedder.load(MiniLmEmbeddingModel.copyTo(dir),
        "stopping", true, SETTINGS);
    assertThat(embedder.stopRuns(Duration.ofSeconds(5))).isTrue();
    assertThatThrownBy(() -> embedder.embed(List.of(TEXT), 30_000))
        .isInstanceOf(InferenceStoppedException.class);
    embedder.close();
    embedder.close();
  }

  @Test
  void onlyAQuantizedGraphIsFound(@TempDir Path dir) throws Exception {
    MiniLmEmbeddingModel.copyTo(dir);
    Files.move(dir.resolve("onnx/model.onnx"), dir.resolve("onnx/model_quantized.onnx"));
    try (OnnxSentenceEmbedder quantized =
        OnnxSentenceEmbedder.load(dir, "quantized", true, SETTINGS)) {
      assertThat(quantized.modelDir().onnxModel().getFileName().toString())
          .isEqualTo("model_quantized.onnx");
      assertThat(embed(quantized, TEXT)).containsExactly(embed(meanNormalised, TEXT));
    }
  }

  @Test
  void withoutLengthFilesTheModelsPositionsAreTheLimit(@TempDir Path dir) throws Exception {
    MiniLmEmbeddingModel.copyTo(dir);
    Files.delete(dir.resolve("sentence_bert_config.json"));
    assertThat(SentenceEmbeddingModelDir.read(dir).maxLength()).isEqualTo(256);
    assertThat(SentenceEmbeddingModelDir.read(dir).maxLengthSource())
        .isEqualTo("tokenizer_config.json model_max_length");
    Files.delete(dir.resolve("tokenizer_config.json"));
    assertThat(SentenceEmbeddingModelDir.read(dir).maxLength()).isEqualTo(512);
  }

  @Test
  void refusesDirectoriesThatCannotWorkWithMessagesThatSayWhat(@TempDir Path wide,
      @TempDir Path noTokenizer, @TempDir Path lastToken) throws Exception {
    withPooling(wide, "{\"word_embedding_dimension\": 768, \"pooling_mode_mean_tokens\": true}");
    assertThatThrownBy(() -> OnnxSentenceEmbedder.load(wide, "wide", true, SETTINGS))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("word_embedding_dimension 768")
        .hasMessageContaining("hidden_size 384");

    MiniLmEmbeddingModel.copyTo(noTokenizer);
    Files.delete(noTokenizer.resolve("tokenizer.json"));
    assertThatThrownBy(() -> OnnxSentenceEmbedder.load(noTokenizer, "x", true, SETTINGS))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("missing tokenizer.json");

    withPooling(lastToken,
        "{\"word_embedding_dimension\": 384, \"pooling_mode_lasttoken\": true}");
    assertThatThrownBy(() -> OnnxSentenceEmbedder.load(lastToken, "x", true, SETTINGS))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("pooling_mode_lasttoken");
  }
}
