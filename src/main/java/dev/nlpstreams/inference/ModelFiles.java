package dev.nlpstreams.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nlpstreams.config.ModelPrecision;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading the files of a model directory, with errors that say which file and what is expected:
 * the one place the NER and seq2seq directory readers share.
 */
public final class ModelFiles {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelFiles() {}

  /**
   * The file at {@code relative} in {@code directory}.
   *
   * @param what what the directory should be, for the message ("a seq2seq Optimum export")
   * @param hint what to do or expect, appended to the message (may be empty)
   */
  public static Path require(Path directory, String relative, String what, String hint) {
    Path file = directory.resolve(relative);
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException(directory + " is not " + what + ": missing " + relative + "."
          + (hint.isEmpty() ? "" : " " + hint));
    }
    return file;
  }

  /**
   * The graph {@code fp32Relative} ({@code onnx/model.onnx}) in the given precision; for int8 its
   * {@code _quantized} twin, with a message naming the missing file and the command that writes it.
   */
  public static Path requireGraph(Path directory, String fp32Relative, ModelPrecision precision,
      String what, String hint) {
    if (precision == ModelPrecision.FP32) {
      return require(directory, fp32Relative, what, hint);
    }
    String relative = precision.graphFile(fp32Relative);
    Path file = directory.resolve(relative);
    if (!Files.isRegularFile(file)) {
      throw new ModelLoadException(missingQuantized(directory, List.of(relative), precision));
    }
    return file;
  }

  /** The message for quantized graphs that precision {@code precision} needs and that are missing. */
  public static String missingQuantized(Path directory, List<String> missing,
      ModelPrecision precision) {
    java.util.Optional<String> bundled = ModelResolver.bundledName(directory);
    if (bundled.isPresent()) {
      // Its directory is a temporary extraction: a command writing into it would be lost.
      return "The bundled model " + ModelResolver.BUNDLED_PREFIX + bundled.get() + " has no "
          + String.join(" / ", missing) + ", which precision " + precision + " loads: set the"
          + " task's precision to fp32, or point the task at a model directory of your own that"
          + " has them (`" + ModelPrecision.QUANTIZE_COMMAND + " <dir>` writes them beside the"
          + " fp32 graphs).";
    }
    return directory + " has no " + String.join(" / ", missing) + ", which precision " + precision
        + " loads: write the int8 graphs beside the fp32 ones with `"
        + ModelPrecision.QUANTIZE_COMMAND + " " + directory + "` (or export them with Optimum's"
        + " quantizer), or set the task's precision to fp32.";
  }

  public static JsonNode readTree(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new ModelLoadException("Cannot parse " + file + ": " + e.getMessage(), e);
    }
  }

  /** A JSON object as a mutable map in file order. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> readMap(Path file) {
    try {
      return new LinkedHashMap<>(JSON.readValue(file.toFile(), Map.class));
    } catch (IOException e) {
      throw new ModelLoadException("Cannot parse " + file + ": " + e.getMessage(), e);
    }
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has SHA-256", e);
    }
  }

  /** Streams the file's bytes into the digest. */
  public static void feed(MessageDigest digest, Path file) {
    byte[] chunk = new byte[1 << 16];
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      while (in.read(chunk) >= 0) {
        // reading feeds the digest
      }
    } catch (IOException e) {
      throw new ModelLoadException("Cannot hash " + file + ": " + e.getMessage(), e);
    }
  }

  /** The first 16 hex digits of the digest: how outputs name a model version. */
  public static String hexPrefix(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
  }
}
