package dev.nlpstreams.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nlpstreams.config.ModelPrecision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A token-classification model directory in the Hugging Face Optimum layout: {@code config.json}
 * (id2label, model_type, max_position_embeddings), {@code tokenizer.json},
 * {@code tokenizer_config.json} (model_max_length) and {@code onnx/model.onnx} (int8:
 * {@code onnx/model_quantized.onnx}).
 */
public record TokenClassificationModelDir(Path directory, String modelType, List<String> labels,
    int maxLength, long padTokenId, boolean wordAwareSubwords, String unknownToken,
    Path tokenizerJson, Path onnxModel, String contentHash) {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** transformers writes this huge number when a tokenizer has no real limit. */
  private static final long NO_LIMIT_SENTINEL = 1_000_000;

  public static TokenClassificationModelDir read(Path directory) {
    return read(directory, ModelPrecision.FP32);
  }

  /** Reads a directory; int8 takes {@code onnx/model_quantized.onnx} instead of the fp32 graph. */
  public static TokenClassificationModelDir read(Path directory, ModelPrecision precision) {
    Path configFile = require(directory, "config.json");
    Path tokenizerJson = require(directory, "tokenizer.json");
    Path onnx = ModelFiles.requireGraph(directory, "onnx/model.onnx", precision,
        "a Hugging Face Optimum export", "Expected config.json, tokenizer.json and onnx/model.onnx.");
    JsonNode config = readJson(configFile);
    JsonNode tokenizer = readJson(tokenizerJson);
    JsonNode tokenizerConfig = Files.exists(directory.resolve("tokenizer_config.json"))
        ? readJson(directory.resolve("tokenizer_config.json")) : JSON.createObjectNode();

    String modelType = config.path("model_type").asText("");
    List<String> labels = labels(config, configFile);
    int maxLength = maxLength(modelType, config, tokenizerConfig, configFile);
    long padId = config.path("pad_token_id").asLong(0);
    // Hugging Face fuses subwords by the tokenizer's continuing-subword prefix when the model has one
    // (WordPiece "##"); otherwise it falls back to a whitespace heuristic.
    JsonNode prefix = tokenizer.path("model").path("continuing_subword_prefix");
    boolean wordAware = prefix.isTextual() && !prefix.asText().isEmpty();
    String unknownToken = unknownToken(tokenizer.path("model"));
    return new TokenClassificationModelDir(directory, modelType, labels, maxLength, padId,
        wordAware, unknownToken, tokenizerJson, onnx, sha256Prefix(onnx));
  }

  /**
   * The tokenizer model's unknown token, which Hugging Face's aggregation never fuses into a word:
   * WordPiece and BPE name it ({@code unk_token}); Unigram (XLM-R, CamemBERT, T5) gives its id in
   * {@code unk_id}, the index of a [piece, score] pair in its vocab. Null when there is none.
   */
  static String unknownToken(JsonNode tokenizerModel) {
    JsonNode named = tokenizerModel.path("unk_token");
    if (named.isTextual()) {
      return named.asText();
    }
    JsonNode id = tokenizerModel.path("unk_id");
    JsonNode vocab = tokenizerModel.path("vocab");
    if (!id.isIntegralNumber() || !vocab.isArray() || id.asInt() < 0
        || id.asInt() >= vocab.size()) {
      return null;
    }
    JsonNode entry = vocab.get(id.asInt());
    return entry.isArray() && !entry.isEmpty() && entry.get(0).isTextual()
        ? entry.get(0).asText() : null;
  }

  private static List<String> labels(JsonNode config, Path configFile) {
    JsonNode id2label = config.path("id2label");
    if (!id2label.isObject() || id2label.isEmpty()) {
      throw new ModelLoadException(configFile + " has no id2label: not a token-classification"
          + " export (export with `optimum-cli export onnx --task token-classification`).");
    }
    Map<Integer, String> byId = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = id2label.properties().iterator();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      try {
        byId.put(Integer.parseInt(field.getKey()), field.getValue().asText());
      } catch (NumberFormatException e) {
        throw new ModelLoadException(configFile + ": id2label key '" + field.getKey()
            + "' is not a number.");
      }
    }
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < byId.size(); i++) {
      String label = byId.get(i);
      if (label == null) {
        throw new ModelLoadException(configFile + ": id2label misses id " + i + ".");
      }
      labels.add(label);
    }
    return List.copyOf(labels);
  }

  private static int maxLength(String modelType, JsonNode config, JsonNode tokenizerConfig,
      Path configFile) {
    long fromTokenizer = tokenizerConfig.path("model_max_length").asLong(0);
    long positions = config.path("max_position_embeddings").asLong(0);
    // RoBERTa-style models reserve padding_idx + 1 positions (514 embeddings, 512 usable).
    if (positions > 0 && (modelType.equals("roberta") || modelType.equals("xlm-roberta")
        || modelType.equals("camembert"))) {
      positions -= 2;
    }
    long max;
    if (fromTokenizer > 0 && fromTokenizer < NO_LIMIT_SENTINEL) {
      max = positions > 0 ? Math.min(fromTokenizer, positions) : fromTokenizer;
    } else if (positions > 0) {
      max = positions;
    } else {
      throw new ModelLoadException(configFile + " has no max_position_embeddings and the"
          + " tokenizer_config.json no model_max_length; set nlp.ner.max.length.");
    }
    return (int) max;
  }

  private static Path require(Path directory, String relative) {
    return ModelFiles.require(directory, relative, "a Hugging Face Optimum export",
        "Expected config.json, tokenizer.json and onnx/model.onnx.");
  }

  private static JsonNode readJson(Path file) {
    return ModelFiles.readTree(file);
  }

  static String sha256Prefix(Path file) {
    MessageDigest digest = ModelFiles.sha256();
    ModelFiles.feed(digest, file);
    return ModelFiles.hexPrefix(digest);
  }
}
