package dev.nlpstreams.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * transformers.js in a child process: one of the drivers in {@code models/reference}
 * ({@code bench_seq2seq.mjs}, {@code bench_ner.mjs}) started with {@code --serve}. It loads the
 * model once, prints one JSON line of facts, then runs one timed pass per command line ("single":
 * one input per call; "batched": its own padded batches), so its rounds interleave with ours.
 */
final class TransformersJsDriver implements AutoCloseable {

  /** One pass: wall-clock seconds and, for generation, the tokens generated. */
  record Result(double seconds, long generatedTokens) {}

  static final Path PACKAGE = Path.of("models/reference/node_modules/@huggingface/transformers");

  /** The installed (pinned) transformers.js version, or "?" when it is not installed. */
  static String installedVersion() {
    try {
      return new ObjectMapper().readTree(PACKAGE.resolve("package.json").toFile())
          .path("version").asText("?");
    } catch (IOException e) {
      return "?";
    }
  }

  private final Process process;
  private final String script;
  private final BufferedReader out;
  private final Writer in;
  private final ObjectMapper json = new ObjectMapper();
  final String version;
  final String ortVersion;
  final long sourceTokens;

  private TransformersJsDriver(Process process, String script) throws IOException {
    this.process = process;
    this.script = script;
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    JsonNode ready = read();
    this.version = ready.path("transformers").asText("?");
    this.ortVersion = ready.path("onnxruntime").asText("?");
    this.sourceTokens = ready.path("sourceTokens").asLong();
  }

  /** {@code command}: node, the driver script, then its arguments ({@code --serve} among them). */
  static TransformersJsDriver start(List<String> command) throws IOException {
    Process process = new ProcessBuilder(command)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String script = command.size() > 1 ? Path.of(command.get(1)).getFileName().toString()
        : "transformers.js";
    try {
      return new TransformersJsDriver(process, script);
    } catch (IOException | RuntimeException e) {
      process.destroy();
      throw e;
    }
  }

  private JsonNode read() throws IOException {
    String line = out.readLine();
    if (line == null) {
      throw new IOException(script + " exited (see its messages above)");
    }
    JsonNode node = json.readTree(line);
    if (node.has("error")) {
      throw new IOException(script + ": " + node.path("error").asText());
    }
    return node;
  }

  Result pass(String mode) {
    try {
      in.write(mode + "\n");
      in.flush();
      JsonNode r = read();
      return new Result(r.path("seconds").asDouble(), r.path("generatedTokens").asLong());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      in.write("quit\n");
      in.flush();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroy();
      }
    } catch (IOException e) {
      process.destroy();
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
    }
  }
}
