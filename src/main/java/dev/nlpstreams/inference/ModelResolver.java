package dev.nlpstreams.inference;

import dev.nlpstreams.config.ModelPrecision;
import dev.nlpstreams.inference.hub.HubDownloader;
import dev.nlpstreams.inference.hub.HubReference;
import dev.nlpstreams.inference.hub.HubSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns a model reference into a local directory: a path is used as it is; {@code bundled:<name>}
 * is a model shipped inside the application jar, copied out once per process because the tokenizer
 * and ONNX Runtime read files, not class-path resources; {@code hf:org/name[@revision]} is a Hub
 * repository, downloaded into (or, offline, read from) the Hugging Face cache.
 */
public final class ModelResolver {

  public static final String BUNDLED_PREFIX = "bundled:";
  private static final String BUNDLED_ROOT = "dev/nlpstreams/models/";
  /** The files of an Optimum export that may be present; the tokenizer and graph are required. */
  private static final List<String> BUNDLED_FILES = List.of("config.json", "tokenizer.json",
      "tokenizer_config.json", "special_tokens_map.json", "generation_config.json",
      "onnx/model.onnx", "vocab.txt", "README.md",
      // byte-level BPE (RoBERTa, BART): the slow tokenizer's vocabulary and merges
      "vocab.json", "merges.txt",
      // seq2seq: the encoder and both Optimum decoder layouts
      "onnx/encoder_model.onnx", "onnx/decoder_model_merged.onnx", "onnx/decoder_model.onnx",
      "onnx/decoder_with_past_model.onnx",
      // precision int8: the dynamically quantized twins, where the bundled model has them
      "onnx/model_quantized.onnx", "onnx/encoder_model_quantized.onnx",
      "onnx/decoder_model_merged_quantized.onnx", "onnx/decoder_model_quantized.onnx",
      "onnx/decoder_with_past_model_quantized.onnx",
      // sentence embeddings (Sentence-Transformers): pooling and cut length
      "1_Pooling/config.json", "sentence_bert_config.json");

  /**
   * A file an extracted bundled model's directory holds, naming the model: messages about that
   * directory then speak of the bundled model, not of a temporary path the user cannot change.
   */
  static final String BUNDLED_MARKER = ".nlp-streams-bundled";

  private ModelResolver() {}

  /** The bundled model {@code directory} was extracted from, if it was. */
  public static java.util.Optional<String> bundledName(Path directory) {
    Path marker = directory.resolve(BUNDLED_MARKER);
    try {
      return Files.isRegularFile(marker)
          ? java.util.Optional.of(Files.readString(marker).strip()) : java.util.Optional.empty();
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }

  /** A resolved model: its display name and its directory. */
  public record ResolvedModel(String name, Path directory, boolean temporary) {}

  public static ResolvedModel resolve(String reference) {
    return resolve(reference, ModelPrecision.FP32);
  }

  /**
   * The model at {@code reference} as a local directory. {@code precision} decides which graphs a
   * Hub download fetches; a directory or a bundled model holds what it holds, and the loader
   * picks the precision's graphs from it.
   */
  public static ResolvedModel resolve(String reference, ModelPrecision precision) {
    if (HubReference.isHubReference(reference)) {
      HubReference hub =
          HubReference.parse(reference);
      Path snapshot = new HubDownloader(
          HubSettings.fromEnvironment(System.getenv())).resolve(hub, precision);
      return new ResolvedModel(hub.name(), snapshot, false);
    }
    if (reference.startsWith(BUNDLED_PREFIX)) {
      String name = reference.substring(BUNDLED_PREFIX.length());
      return new ResolvedModel(name, extractBundled(name), true);
    }
    Path directory = Path.of(reference);
    if (!Files.isDirectory(directory)) {
      throw new ModelLoadException("Model directory " + directory.toAbsolutePath()
          + " does not exist. Point the model setting at a Hugging Face Optimum export, or use "
          + BUNDLED_PREFIX + "<name> for a bundled model.");
    }
    return new ResolvedModel(directory.getFileName().toString(), directory, false);
  }

  private static Path extractBundled(String name) {
    ClassLoader loader = ModelResolver.class.getClassLoader();
    if (loader.getResource(BUNDLED_ROOT + name + "/config.json") == null) {
      throw new ModelLoadException("No bundled model named '" + name + "' in this build.");
    }
    try {
      Path target = Files.createTempDirectory("nlp-streams-model-" + name + "-");
      Files.writeString(target.resolve(BUNDLED_MARKER), name);
      for (String file : BUNDLED_FILES) {
        try (InputStream in = loader.getResourceAsStream(BUNDLED_ROOT + name + "/" + file)) {
          if (in == null) {
            continue;
          }
          Path destination = target.resolve(file);
          Files.createDirectories(destination.getParent());
          Files.copy(in, destination, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot extract bundled model " + name, e);
    }
  }

  /** Deletes a directory created by {@link #resolve} for a bundled model. */
  public static void cleanUp(ResolvedModel model) {
    if (!model.temporary()) {
      return;
    }
    try (Stream<Path> files = Files.walk(model.directory())) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: a temp directory left behind is harmless.
    }
  }
}
