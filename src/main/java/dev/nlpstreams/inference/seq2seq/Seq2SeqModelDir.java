package dev.nlpstreams.inference.seq2seq;

import dev.nlpstreams.config.ModelPrecision;
import dev.nlpstreams.inference.ModelFiles;
import dev.nlpstreams.inference.ModelLoadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A seq2seq export: {@code config.json}, optional {@code generation_config.json} and
 * {@code tokenizer_config.json}, {@code tokenizer.json}, {@code onnx/encoder_model.onnx} and either
 * {@code onnx/decoder_model_merged.onnx} or {@code onnx/decoder_model.onnx} +
 * {@code onnx/decoder_with_past_model.onnx}.
 */
public record Seq2SeqModelDir(Path directory, Map<String, Object> config,
    Map<String, Object> generationConfig, Map<String, Object> tokenizerConfig, Path tokenizerJson,
    Path encoder, DecoderLayout layout,
    Path mergedDecoder, Path firstStepDecoder, Path withPastDecoder, int decoderLayers,
    int decoderHeads, int headDim) {

  /** Which decoder graphs the export has. */
  public enum DecoderLayout { MERGED, SPLIT }


  /**
   * Reads a directory; {@code preferred} picks the layout when both are present (null: merged, the
   * layout current exports produce).
   */
  public static Seq2SeqModelDir read(Path directory, DecoderLayout preferred) {
    return read(directory, preferred, ModelPrecision.FP32);
  }

  /**
   * As {@link #read(Path, DecoderLayout)}; int8 takes the {@code onnx/*_quantized.onnx} twins of
   * the graphs (the layout is chosen among the quantized decoders).
   */
  public static Seq2SeqModelDir read(Path directory, DecoderLayout preferred,
      ModelPrecision precision) {
    Path configFile = require(directory, "config.json");
    Path tokenizer = require(directory, "tokenizer.json");
    String encoderName = precision.graphFile("onnx/encoder_model.onnx");
    Path merged = directory.resolve(precision.graphFile("onnx/decoder_model_merged.onnx"));
    Path first = directory.resolve(precision.graphFile("onnx/decoder_model.onnx"));
    Path withPast = directory.resolve(precision.graphFile("onnx/decoder_with_past_model.onnx"));
    boolean hasMerged = Files.isRegularFile(merged);
    boolean hasSplit = Files.isRegularFile(first) && Files.isRegularFile(withPast);
    if (precision == ModelPrecision.FP32) {
      require(directory, encoderName);
      if (!hasMerged && !hasSplit) {
        throw new ModelLoadException(directory + " has no decoder: expected"
            + " onnx/decoder_model_merged.onnx, or onnx/decoder_model.onnx and"
            + " onnx/decoder_with_past_model.onnx (optimum-cli export onnx --task"
            + " text2text-generation-with-past).");
      }
    } else {
      // Name every quantized graph the chosen layout lacks, the decoder of the layout the fp32
      // export has when no quantized decoder exists at all.
      List<String> missing = new ArrayList<>();
      if (!Files.isRegularFile(directory.resolve(encoderName))) {
        missing.add(encoderName);
      }
      boolean wantsSplit = preferred == DecoderLayout.SPLIT || (preferred == null && !hasMerged
          && (hasSplit || !Files.isRegularFile(directory.resolve("onnx/decoder_model_merged.onnx"))));
      for (Path graph : wantsSplit ? List.of(first, withPast) : List.of(merged)) {
        if (!Files.isRegularFile(graph)) {
          missing.add(directory.relativize(graph).toString());
        }
      }
      if (!missing.isEmpty()) {
        throw new ModelLoadException(ModelFiles.missingQuantized(directory, missing, precision));
      }
    }
    Path encoder = directory.resolve(encoderName);
    DecoderLayout layout;
    if (preferred == DecoderLayout.SPLIT) {
      if (!hasSplit) {
        throw new ModelLoadException(directory + " has no split decoder graphs.");
      }
      layout = DecoderLayout.SPLIT;
    } else if (preferred == DecoderLayout.MERGED && !hasMerged) {
      throw new ModelLoadException(directory + " has no onnx/decoder_model_merged.onnx.");
    } else {
      layout = hasMerged ? DecoderLayout.MERGED : DecoderLayout.SPLIT;
    }
    Map<String, Object> config = readJson(configFile);
    Path generationFile = directory.resolve("generation_config.json");
    Map<String, Object> generation = Files.isRegularFile(generationFile)
        ? readJson(generationFile) : Map.of();
    Path tokenizerConfigFile = directory.resolve("tokenizer_config.json");
    Map<String, Object> tokenizerConfig = Files.isRegularFile(tokenizerConfigFile)
        ? readJson(tokenizerConfigFile) : Map.of();
    int layers = intField(config, configFile, "decoder_layers", "num_decoder_layers",
        "num_layers");
    int heads = intField(config, configFile, "decoder_attention_heads", "num_heads");
    int headDim = config.containsKey("d_kv") ? ((Number) config.get("d_kv")).intValue()
        : intField(config, configFile, "d_model") / heads;
    return new Seq2SeqModelDir(directory, config, generation, tokenizerConfig, tokenizer, encoder,
        layout, merged, first, withPast, layers, heads, headDim);
  }

  private static int intField(Map<String, Object> config, Path file, String... names) {
    for (String name : names) {
      Object value = config.get(name);
      if (value instanceof Number number) {
        return number.intValue();
      }
    }
    throw new ModelLoadException(file + " misses " + String.join(" / ", names)
        + ", needed to size the decoder's key/value cache.");
  }

  private static Path require(Path directory, String relative) {
    return ModelFiles.require(directory, relative, "a seq2seq Optimum export", "");
  }

  /** The ONNX graphs this layout runs: the encoder, then the decoder graph(s). */
  public List<Path> graphs() {
    return layout == DecoderLayout.MERGED ? List.of(encoder, mergedDecoder)
        : List.of(encoder, firstStepDecoder, withPastDecoder);
  }

  private static Map<String, Object> readJson(Path file) {
    return ModelFiles.readMap(file);
  }
}
