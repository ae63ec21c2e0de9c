package dev.nlpstreams.inference.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nlpstreams.config.ModelPrecision;
import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.ModelLoadException;
import dev.nlpstreams.inference.seq2seq.OnnxTextGenerator;
import dev.nlpstreams.text.generation.GenerationConfig;
import dev.nlpstreams.text.task.GenerationRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Hub download path against a small HTTP server on loopback that serves the tiny Marian model
 * in the Hub's URL layout ({@code /api/models/<repo>/revision/<rev>},
 * {@code /<repo>/resolve/<commit>/<file>}).
 */
class HubDownloaderTest {

  private static final Path MODEL = Path.of("models/tiny/marian-tiny-en-de");
  private static final String REPO = "test-org/marian-tiny";
  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
  /** What a real export repository lists: our files plus variants we must not fetch. */
  private static final List<String> SIBLINGS = List.of(".gitattributes", "README.md",
      "config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
      "special_tokens_map.json", "onnx/encoder_model.onnx", "onnx/encoder_model_quantized.onnx",
      "onnx/decoder_model_merged.onnx", "onnx/decoder_model_merged_fp16.onnx",
      "onnx/decoder_model_merged_quantized.onnx", "onnx/decoder_model_quantized.onnx",
      "onnx/decoder_model.onnx", "onnx/decoder_with_past_model.onnx");

  @TempDir
  Path cache;
  private HttpServer server;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger fileRequests = new AtomicInteger();
  /** The file request (1-based) answered with HTTP 500; 0 for none. */
  private volatile int failFileRequest;
  private volatile String requiredToken;
  /** The files the repository lists. */
  private volatile List<String> siblings = SIBLINGS;

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    requests.add(path);
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    if (requiredToken != null && !("Bearer " + requiredToken).equals(auth)) {
      respond(exchange, 401, "unauthorized".getBytes(StandardCharsets.UTF_8));
      return;
    }
    String api = "/api/models/" + REPO + "/revision/";
    String resolve = "/" + REPO + "/resolve/" + COMMIT + "/";
    if (path.startsWith(api)) {
      String revision = path.substring(api.length());
      if (!revision.equals("main") && !revision.equals(COMMIT)) {
        respond(exchange, 404, new byte[0]);
        return;
      }
      String listed = siblings.stream().map(f -> "{\"rfilename\":\"" + f + "\"}")
          .collect(Collectors.joining(","));
      respond(exchange, 200, ("{\"id\":\"" + REPO + "\",\"sha\":\"" + COMMIT
          + "\",\"siblings\":[" + listed + "]}").getBytes(StandardCharsets.UTF_8));
    } else if (path.startsWith(resolve) && Files.isRegularFile(MODEL.resolve(
        path.substring(resolve.length())))) {
      if (fileRequests.incrementAndGet() == failFileRequest) {
        respond(exchange, 500, new byte[0]);
        return;
      }
      respond(exchange, 200, Files.readAllBytes(MODEL.resolve(path.substring(resolve.length()))));
    } else {
      respond(exchange, 404, new byte[0]);
    }
  }

  private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private HubSettings settings(boolean offline, String token) {
    return new HubSettings(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
        cache, offline, token);
  }

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
          .sorted().toList();
    }
  }

  @Test
  void downloadsWhatThePipelineReadsIntoTheHuggingFaceCacheLayout() throws Exception {
    Path snapshot = new HubDownloader(settings(false, null)).resolve(HubReference.parse("hf:" + REPO));
    assertThat(snapshot).isEqualTo(cache.resolve("models--test-org--marian-tiny/snapshots/" + COMMIT));
    assertThat(files(snapshot)).containsExactly("config.json", "generation_config.json",
        "onnx/decoder_model_merged.onnx", "onnx/encoder_model.onnx", "special_tokens_map.json",
        "tokenizer.json", "tokenizer_config.json");
    assertThat(Files.readString(cache.resolve("models--test-org--marian-tiny/refs/main")))
        .isEqualTo(COMMIT);
    for (String f : files(snapshot)) {
      assertThat(Files.mismatch(snapshot.resolve(f), MODEL.resolve(f))).as(f).isEqualTo(-1L);
    }
    // The downloaded export runs and translates exactly like the original directory.
    GenerationRequest request = GenerationRequest.translate("the dog runs.", "en", "de");
    try (OnnxTextGenerator downloaded = OnnxTextGenerator.load(snapshot, "downloaded",
            InferenceSettings.cpuDefaults());
        OnnxTextGenerator original = OnnxTextGenerator.load(MODEL, "original",
            InferenceSettings.cpuDefaults())) {
      GenerationConfig config = GenerationConfig.fromLayers(original.defaultLayers(request));
      assertThat(downloaded.generate(List.of(request), config).get(0).text())
          .isEqualTo(original.generate(List.of(request), config).get(0).text());
    }
  }

  @Test
  void int8FetchesTheQuantizedTwinsIntoTheSameSnapshotAndRunsThem() throws Exception {
    HubReference ref = HubReference.parse("hf:" + REPO);
    Path int8 = new HubDownloader(settings(false, null)).resolve(ref, ModelPrecision.INT8);
    assertThat(files(int8)).containsExactly("config.json", "generation_config.json",
        "onnx/decoder_model_merged_quantized.onnx", "onnx/encoder_model_quantized.onnx",
        "special_tokens_map.json", "tokenizer.json", "tokenizer_config.json");
    // Offline, fp32 is not there yet; online it joins the same commit's snapshot.
    assertThatThrownBy(() -> new HubDownloader(settings(true, null)).resolve(ref))
        .hasMessageContaining("not in the Hugging Face cache");
    assertThat(new HubDownloader(settings(false, null)).resolve(ref)).isEqualTo(int8);
    assertThat(files(int8)).contains("onnx/encoder_model.onnx", "onnx/decoder_model_merged.onnx",
        "onnx/encoder_model_quantized.onnx");
    assertThat(new HubDownloader(settings(true, null)).resolve(ref, ModelPrecision.INT8))
        .isEqualTo(int8);

    // The downloaded int8 graphs are the quantized model: it runs and translates like the
    // original directory's int8 graphs.
    GenerationRequest request = GenerationRequest.translate("the dog runs.", "en", "de");
    InferenceSettings int8Settings = InferenceSettings.cpuDefaults()
        .withPrecision(ModelPrecision.INT8);
    try (OnnxTextGenerator downloaded = OnnxTextGenerator.load(int8, "downloaded", int8Settings);
        OnnxTextGenerator original = OnnxTextGenerator.load(MODEL, "original", int8Settings)) {
      GenerationConfig config = GenerationConfig.fromLayers(original.defaultLayers(request));
      assertThat(downloaded.generate(List.of(request), config).get(0).text())
          .isEqualTo(original.generate(List.of(request), config).get(0).text());
    }
  }

  @Test
  void int8FromARepositoryWithoutQuantizedGraphsSaysToUseFp32() {
    siblings = SIBLINGS.stream().filter(f -> !f.contains("_quantized")).toList();
    assertThatThrownBy(() -> new HubDownloader(settings(false, null))
        .resolve(HubReference.parse("hf:" + REPO), ModelPrecision.INT8))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("publishes no int8 graphs").hasMessageContaining("fp32");
    assertThat(HubDownloader.select(List.of("config.json", "tokenizer.json",
        "onnx/encoder_model_quantized.onnx", "onnx/decoder_model_quantized.onnx",
        "onnx/decoder_with_past_model_quantized.onnx", "onnx/encoder_model.onnx"),
        ModelPrecision.INT8)).as("split quantized decoders when there is no merged one")
        .containsExactly("config.json", "tokenizer.json", "onnx/encoder_model_quantized.onnx",
            "onnx/decoder_model_quantized.onnx", "onnx/decoder_with_past_model_quantized.onnx");
  }

  @Test
  void offlineReadsTheCacheWithoutTheNetwork() throws Exception {
    Path online = new HubDownloader(settings(false, null)).resolve(HubReference.parse("hf:" + REPO));
    int before = requests.size();
    server.stop(0);
    Path offline = new HubDownloader(settings(true, null)).resolve(HubReference.parse("hf:" + REPO + "@main"));
    assertThat(offline).isEqualTo(online);
    assertThat(requests).hasSize(before);
    // A pinned commit is found without a ref file.
    assertThat(new HubDownloader(settings(true, null)).resolve(HubReference.parse("hf:" + REPO + "@" + COMMIT)))
        .isEqualTo(online);
    // Online but unreachable: the cached snapshot of the same ref is used.
    assertThat(new HubDownloader(settings(false, null)).resolve(HubReference.parse("hf:" + REPO)))
        .isEqualTo(online);
  }

  @Test
  void offlineWithoutACachedCopySaysWhatToDo() {
    assertThatThrownBy(() -> new HubDownloader(settings(true, null))
        .resolve(HubReference.parse("hf:" + REPO)))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("HF_HUB_OFFLINE").hasMessageContaining("not in the Hugging Face cache");
    assertThat(requests).isEmpty();
  }

  @Test
  void unknownRepositoriesAndRevisionsAreClearErrors() {
    assertThatThrownBy(() -> new HubDownloader(settings(false, null))
        .resolve(HubReference.parse("hf:" + REPO + "@v9")))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("not found").hasMessageContaining("revision");
  }

  @Test
  void aGatedModelNeedsTheTokenAndGetsIt() throws Exception {
    requiredToken = "secret-token";
    assertThatThrownBy(() -> new HubDownloader(settings(false, null))
        .resolve(HubReference.parse("hf:" + REPO)))
        .hasMessageContaining("HF_TOKEN");
    assertThat(new HubDownloader(settings(false, "secret-token"))
        .resolve(HubReference.parse("hf:" + REPO))).isDirectory();
    assertThat(settings(false, "secret-token").toString()).doesNotContain("secret-token");
  }

  @Test
  void anInterruptedDownloadLeavesNoModelAndTheNextAttemptCompletesIt() throws Exception {
    failFileRequest = 4;
    assertThatThrownBy(() -> new HubDownloader(settings(false, null))
        .resolve(HubReference.parse("hf:" + REPO)))
        .isInstanceOf(ModelLoadException.class).hasMessageContaining("HTTP 500");
    assertThatThrownBy(() -> new HubDownloader(settings(true, null))
        .resolve(HubReference.parse("hf:" + REPO)))
        .hasMessageContaining("not in the Hugging Face cache");
    int before = fileRequests.get();
    Path snapshot = new HubDownloader(settings(false, null)).resolve(HubReference.parse("hf:" + REPO));
    assertThat(files(snapshot)).hasSize(7).noneMatch(f -> f.endsWith(".incomplete"));
    // The three files that arrived the first time are not fetched again.
    assertThat(fileRequests.get() - before).isEqualTo(4);
  }

  @Test
  void referencesAreParsedAndCheckedLikeHubIds() {
    assertThat(HubReference.parse("hf:Xenova/opus-mt-en-de")).isEqualTo(
        new HubReference("Xenova/opus-mt-en-de", "main"));
    assertThat(HubReference.parse("hf:Xenova/opus-mt-en-de@v1.0").revision()).isEqualTo("v1.0");
    assertThat(HubReference.parse("hf:Xenova/opus-mt-en-de").name()).isEqualTo("opus-mt-en-de");
    assertThatThrownBy(() -> HubReference.parse("hf:../../etc")).hasMessageContaining("hf:org/name");
    assertThatThrownBy(() -> HubReference.parse("hf:a/b@")).hasMessageContaining("hf:org/name");
    assertThat(HubSettings.fromEnvironment(Map.of("HF_HOME", "/h", "HF_HUB_OFFLINE", "1")))
        .satisfies(s -> {
          assertThat(s.cacheDir()).isEqualTo(Path.of("/h", "hub"));
          assertThat(s.offline()).isTrue();
          assertThat(s.endpoint()).isEqualTo(HubSettings.DEFAULT_ENDPOINT);
        });
    assertThat(HubDownloader.select(SIBLINGS)).doesNotContain("onnx/decoder_model.onnx",
        "onnx/encoder_model_quantized.onnx", "README.md");
  }

  @Test
  void aSentenceTransformersExportBringsItsPoolingAndLengthConfig() {
    assertThat(HubDownloader.select(List.of("config.json", "tokenizer.json",
        "tokenizer_config.json", "modules.json", "1_Pooling/config.json",
        "sentence_bert_config.json", "2_Normalize/.gitkeep", "onnx/model.onnx",
        "onnx/model_quantized.onnx", "model.safetensors")))
        .containsExactly("config.json", "tokenizer.json", "tokenizer_config.json",
            "1_Pooling/config.json", "sentence_bert_config.json", "onnx/model.onnx");
  }
}
