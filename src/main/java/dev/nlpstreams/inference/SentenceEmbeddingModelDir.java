package dev.nlpstreams.inference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nlpstreams.config.ModelPrecision;
import dev.nlpstreams.text.embedding.PoolingConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sentence-embedding model directory in the Hugging Face Optimum / Sentence-Transformers layout:
 * {@code config.json} (model_type, hidden_size, max_position_embeddings, pad_token_id),
 * {@code tokenizer.json}, {@code onnx/model.onnx} (or only {@code onnx/model_quantized.onnx}), and
 * optionally {@code 1_Pooling/config.json} (absent: mean pooling, as Sentence-Transformers does),
 * {@code sentence_bert_config.json} ({@code max_seq_length}) and {@code tokenizer_config.json}
 * ({@code model_max_length}).
 *
 * @param maxLength tokens a text is cut to, special tokens included
 * @param maxLengthSource which file and key {@code maxLength} came from, for logs and messages
 * @param poolingSource {@code 1_Pooling/config.json}, or a note that mean pooling is the default
 */
public record SentenceEmbeddingModelDir(Path directory, String modelType, int hiddenSize,
    int maxLength, String maxLengthSource, long padTokenId, PoolingConfig pooling,
    String poolingSource, Path tokenizerJson, Path onnxModel, String contentHash) {

  static final String POOLING_CONFIG = "1_Pooling/config.json";
  /** transformers writes this huge number when a tokenizer has no real limit. */
  private static final long NO_LIMIT_SENTINEL = 1_000_000;
  private static final String WHAT = "a sentence-embedding model directory (Optimum export)";

  public static SentenceEmbeddingModelDir read(Path directory) {
    return read(directory, ModelPrecision.FP32);
  }

  /**
   * Reads a directory; int8 requires {@code onnx/model_quantized.onnx}, fp32 takes
   * {@code onnx/model.onnx} and falls back to the quantized graph when it is the only one.
   */
  public static SentenceEmbeddingModelDir read(Path directory, ModelPrecision precision) {
    Path configFile = ModelFiles.require(directory, "config.json", WHAT,
        "Expected config.json, tokenizer.json and onnx/model.onnx.");
    Path tokenizerJson = ModelFiles.require(directory, "tokenizer.json", WHAT,
        "Expected config.json, tokenizer.json and onnx/model.onnx.");
    Path onnx = precision == ModelPrecision.FP32 ? onnxModel(directory)
        : ModelFiles.requireGraph(directory, "onnx/model.onnx", precision, WHAT, "");
    JsonNode config = ModelFiles.readTree(configFile);
    String modelType = config.path("model_type").asText("");
    int hiddenSize = config.path("hidden_size").asInt(config.path("dim").asInt(0));

    PoolingConfig pooling;
    String poolingSource;
    Path poolingFile = directory.resolve(POOLING_CONFIG);
    if (Files.isRegularFile(poolingFile)) {
      pooling = readPooling(poolingFile);
      poolingSource = POOLING_CONFIG;
    } else {
      if (hiddenSize < 1) {
        throw new ModelLoadException(configFile + " has no hidden_size and there is no "
            + POOLING_CONFIG + " to say how wide the token vectors are: add one.");
      }
      pooling = PoolingConfig.mean(hiddenSize);
      poolingSource = "mean (no " + POOLING_CONFIG + ")";
    }
    if (hiddenSize > 0 && pooling.wordEmbeddingDimension() != hiddenSize) {
      throw new ModelLoadException(poolingFile + " says word_embedding_dimension "
          + pooling.wordEmbeddingDimension() + " but " + configFile + " says hidden_size "
          + hiddenSize + ": they must agree.");
    }

    int positions = usablePositions(modelType, config.path("max_position_embeddings").asLong(0));
    long limit = 0;
    String limitSource = null;
    Path sentenceBertConfig = directory.resolve("sentence_bert_config.json");
    Path tokenizerConfig = directory.resolve("tokenizer_config.json");
    // Sentence-Transformers cuts at max_seq_length, which may be below the tokenizer's limit
    // (all-MiniLM-L6-v2: 256 against 512).
    if (Files.isRegularFile(sentenceBertConfig)) {
      limit = ModelFiles.readTree(sentenceBertConfig).path("max_seq_length").asLong(0);
      limitSource = "sentence_bert_config.json max_seq_length";
    }
    if (limit <= 0 && Files.isRegularFile(tokenizerConfig)) {
      long fromTokenizer = ModelFiles.readTree(tokenizerConfig).path("model_max_length").asLong(0);
      if (fromTokenizer > 0 && fromTokenizer < NO_LIMIT_SENTINEL) {
        limit = fromTokenizer;
        limitSource = "tokenizer_config.json model_max_length";
      }
    }
    if (limit <= 0 || (positions > 0 && limit > positions)) {
      if (positions <= 0) {
        throw new ModelLoadException(directory + " says nowhere how many tokens the model reads:"
            + " add max_position_embeddings to config.json or max_seq_length to"
            + " sentence_bert_config.json.");
      }
      limit = positions;
      limitSource = "config.json max_position_embeddings";
    }
    if (limit < 3) {
      throw new ModelLoadException(limitSource + " is " + limit + " in " + directory
          + ": a model must read at least one token besides its special tokens.");
    }
    long padId = config.path("pad_token_id").asLong(0);
    return new SentenceEmbeddingModelDir(directory, modelType, hiddenSize, (int) limit,
        limitSource, padId, pooling, poolingSource, tokenizerJson, onnx,
        TokenClassificationModelDir.sha256Prefix(onnx));
  }

  /** {@code onnx/model.onnx}, else the quantized graph when it is the only one. */
  private static Path onnxModel(Path directory) {
    Path plain = directory.resolve("onnx/model.onnx");
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    return ModelFiles.require(directory, "onnx/model_quantized.onnx", WHAT,
        "Expected onnx/model.onnx (or onnx/model_quantized.onnx).");
  }

  private static PoolingConfig readPooling(Path file) {
    try {
      return PoolingConfig.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new ModelLoadException("Cannot read " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(e.getMessage(), e);
    }
  }

  /** RoBERTa-style models reserve padding_idx + 1 positions (514 embeddings, 512 usable). */
  private static int usablePositions(String modelType, long positions) {
    if (positions > 0 && (modelType.equals("roberta") || modelType.equals("xlm-roberta")
        || modelType.equals("camembert") || modelType.equals("mpnet"))) {
      positions -= 2;
    }
    return (int) Math.max(0, positions);
  }
}
