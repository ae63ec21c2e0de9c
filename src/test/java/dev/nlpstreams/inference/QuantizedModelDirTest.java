package dev.nlpstreams.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nlpstreams.config.ModelPrecision;
import dev.nlpstreams.inference.seq2seq.Seq2SeqModelDir;
import dev.nlpstreams.inference.seq2seq.Seq2SeqModelDir.DecoderLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which graph files the model-directory readers pick for each precision, and what a gap says. */
class QuantizedModelDirTest {

  private static final Path MARIAN = Path.of("models/tiny/marian-tiny-en-de");
  private static final Path NER = Path.of("models/tiny/ner-bert-wordpiece");

  @Test
  void nerInt8TakesTheQuantizedGraphAndFp32StaysAsItWas() {
    assertThat(TokenClassificationModelDir.read(NER).onnxModel())
        .isEqualTo(NER.resolve("onnx/model.onnx"));
    TokenClassificationModelDir int8 = TokenClassificationModelDir.read(NER, ModelPrecision.INT8);
    assertThat(int8.onnxModel()).isEqualTo(NER.resolve("onnx/model_quantized.onnx"));
    assertThat(int8.contentHash()).isNotEqualTo(TokenClassificationModelDir.read(NER)
        .contentHash());
  }

  @Test
  void nerInt8WithoutTheQuantizedGraphNamesTheFileAndTheCommand(@TempDir Path tmp)
      throws IOException {
    Path dir = copy(NER, tmp.resolve("ner"));
    Files.delete(dir.resolve("onnx/model_quantized.onnx"));
    assertThat(TokenClassificationModelDir.read(dir).onnxModel()).endsWith(Path.of("model.onnx"));
    assertThatThrownBy(() -> TokenClassificationModelDir.read(dir, ModelPrecision.INT8))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("onnx/model_quantized.onnx")
        .hasMessageContaining("generate_models.py quantize --model " + dir)
        .hasMessageContaining("precision int8");
  }

  @Test
  void seq2seqInt8TakesTheQuantizedEncoderAndDecoders() {
    Seq2SeqModelDir merged = Seq2SeqModelDir.read(MARIAN, null, ModelPrecision.INT8);
    assertThat(merged.layout()).isEqualTo(DecoderLayout.MERGED);
    assertThat(merged.graphs()).containsExactly(
        MARIAN.resolve("onnx/encoder_model_quantized.onnx"),
        MARIAN.resolve("onnx/decoder_model_merged_quantized.onnx"));
    Seq2SeqModelDir split = Seq2SeqModelDir.read(MARIAN, DecoderLayout.SPLIT, ModelPrecision.INT8);
    assertThat(split.graphs()).containsExactly(
        MARIAN.resolve("onnx/encoder_model_quantized.onnx"),
        MARIAN.resolve("onnx/decoder_model_quantized.onnx"),
        MARIAN.resolve("onnx/decoder_with_past_model_quantized.onnx"));
    assertThat(Seq2SeqModelDir.read(MARIAN, null).graphs()).containsExactly(
        MARIAN.resolve("onnx/encoder_model.onnx"),
        MARIAN.resolve("onnx/decoder_model_merged.onnx"));
  }

  @Test
  void seq2seqInt8FallsBackToTheQuantizedSplitDecodersOnly(@TempDir Path tmp) throws IOException {
    Path dir = copy(MARIAN, tmp.resolve("marian"));
    Files.delete(dir.resolve("onnx/decoder_model_merged_quantized.onnx"));
    Seq2SeqModelDir int8 = Seq2SeqModelDir.read(dir, null, ModelPrecision.INT8);
    assertThat(int8.layout()).isEqualTo(DecoderLayout.SPLIT);
    assertThat(int8.withPastDecoder()).endsWith(Path.of("decoder_with_past_model_quantized.onnx"));
    assertThatThrownBy(() -> Seq2SeqModelDir.read(dir, DecoderLayout.MERGED, ModelPrecision.INT8))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("onnx/decoder_model_merged_quantized.onnx")
        .hasMessageNotContaining("encoder_model_quantized");
  }

  @Test
  void seq2seqInt8WithoutQuantizedGraphsListsEveryMissingOne(@TempDir Path tmp)
      throws IOException {
    Path dir = copy(MARIAN, tmp.resolve("marian"));
    try (Stream<Path> files = Files.list(dir.resolve("onnx"))) {
      for (Path f : files.filter(f -> f.toString().endsWith("_quantized.onnx")).toList()) {
        Files.delete(f);
      }
    }
    assertThat(Seq2SeqModelDir.read(dir, null).layout()).isEqualTo(DecoderLayout.MERGED);
    assertThatThrownBy(() -> Seq2SeqModelDir.read(dir, null, ModelPrecision.INT8))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("onnx/encoder_model_quantized.onnx")
        .hasMessageContaining("onnx/decoder_model_merged_quantized.onnx")
        .hasMessageContaining("generate_models.py quantize --model " + dir);
    assertThatThrownBy(() -> Seq2SeqModelDir.read(dir, DecoderLayout.SPLIT, ModelPrecision.INT8))
        .hasMessageContaining("onnx/decoder_model_quantized.onnx")
        .hasMessageContaining("onnx/decoder_with_past_model_quantized.onnx");
  }

  @Test
  void embeddingFp32KeepsItsQuantizedFallbackAndInt8RequiresTheQuantizedGraph(@TempDir Path tmp)
      throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("embed/onnx")).getParent();
    Files.writeString(dir.resolve("config.json"),
        "{\"model_type\": \"bert\", \"hidden_size\": 8, \"max_position_embeddings\": 64}");
    Files.copy(NER.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
    Files.writeString(dir.resolve("onnx/model_quantized.onnx"), "int8 graph");
    assertThat(SentenceEmbeddingModelDir.read(dir).onnxModel())
        .isEqualTo(dir.resolve("onnx/model_quantized.onnx"));
    Files.writeString(dir.resolve("onnx/model.onnx"), "fp32 graph");
    assertThat(SentenceEmbeddingModelDir.read(dir).onnxModel())
        .isEqualTo(dir.resolve("onnx/model.onnx"));
    assertThat(SentenceEmbeddingModelDir.read(dir, ModelPrecision.INT8).onnxModel())
        .isEqualTo(dir.resolve("onnx/model_quantized.onnx"));
    Files.delete(dir.resolve("onnx/model_quantized.onnx"));
    assertThatThrownBy(() -> SentenceEmbeddingModelDir.read(dir, ModelPrecision.INT8))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("onnx/model_quantized.onnx")
        .hasMessageContaining("quantize --model");
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return to;
  }
}
