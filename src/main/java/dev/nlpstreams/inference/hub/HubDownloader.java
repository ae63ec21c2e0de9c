package dev.nlpstreams.inference.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nlpstreams.config.ModelPrecision;
import dev.nlpstreams.inference.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads the files of an Optimum export that a pipeline needs from a Hugging Face Hub endpoint
 * into the Hugging Face cache layout ({@code models--org--name/refs/<revision>} holding the commit,
 * {@code snapshots/<commit>/...} holding the files), and finds them there again offline.
 *
 * <p>Only what the runtime reads is fetched: the JSON configuration and tokenizer files and the
 * graphs of the requested precision ({@code onnx/model.onnx}, or the encoder and the merged decoder,
 * falling back to the split decoders, with their external-data files; for int8 their
 * {@code _quantized} twins, the Optimum and transformers.js naming). The other variants that real
 * export repositories carry beside them (fp16, q4, the other precision) are skipped; both
 * precisions of one commit share its snapshot directory, as in the Hugging Face cache. Files land
 * under a temporary name and are moved into place when complete, so an interrupted download never
 * looks like a model.
 */
public final class HubDownloader {

  private static final Logger LOG = LoggerFactory.getLogger(HubDownloader.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> CONFIG_FILES = Set.of("config.json", "generation_config.json",
      "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
      // Sentence-Transformers exports: how to pool (CLS-pooled models must not fall back to mean)
      // and where to cut texts.
      "1_Pooling/config.json", "sentence_bert_config.json");
  private static final Pattern GRAPH = Pattern.compile(
      "onnx/(model|encoder_model|decoder_model_merged|decoder_model|decoder_with_past_model)"
          + "(_quantized)?\\.onnx(_data|\\.data)?");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HubSettings settings;
  private final HttpClient http;

  public HubDownloader(HubSettings settings) {
    this.settings = settings;
    this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(TIMEOUT).build();
  }

  /** The local snapshot directory of the reference's fp32 graphs, downloading it unless offline. */
  public Path resolve(HubReference ref) {
    return resolve(ref, ModelPrecision.FP32);
  }

  /** The local snapshot directory of the reference, with the graphs of {@code precision}. */
  public Path resolve(HubReference ref, ModelPrecision precision) {
    Path repoDir = settings.cacheDir().resolve(ref.cacheFolder());
    if (settings.offline()) {
      Path cached = cachedSnapshot(repoDir, ref, precision);
      if (cached == null) {
        throw new ModelLoadException(ref + " is not in the Hugging Face cache at "
            + settings.cacheDir() + " and HF_HUB_OFFLINE is set. Download it once with network"
            + " access (same HF_HUB_CACHE), or point the model setting at a local export"
            + " directory.");
      }
      return cached;
    }
    try {
      return download(ref, repoDir, precision);
    } catch (IOException e) {
      Path cached = cachedSnapshot(repoDir, ref, precision);
      if (cached != null) {
        LOG.warn("Cannot reach {} ({}); using the cached snapshot of {}", settings.endpoint(),
            e.getMessage(), ref);
        return cached;
      }
      throw new ModelLoadException("Cannot download " + ref + " from " + settings.endpoint()
          + ": " + e.getMessage() + ". Check the network or HF_ENDPOINT, or set HF_HUB_OFFLINE=1"
          + " to use the cache at " + settings.cacheDir() + ".", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ModelLoadException("Interrupted while downloading " + ref, e);
    }
  }

  private static Path cachedSnapshot(Path repoDir, HubReference ref, ModelPrecision precision) {
    String commit = ref.revision();
    if (!ref.revisionIsCommit()) {
      Path refFile = repoDir.resolve("refs").resolve(ref.revision());
      if (!Files.isRegularFile(refFile)) {
        return null;
      }
      try {
        commit = Files.readString(refFile).strip();
      } catch (IOException e) {
        return null;
      }
    }
    Path snapshot = repoDir.resolve("snapshots").resolve(commit);
    return isUsable(snapshot, precision) ? snapshot : null;
  }

  private static boolean isUsable(Path snapshot, ModelPrecision precision) {
    return Files.isRegularFile(snapshot.resolve("config.json"))
        && Files.isRegularFile(snapshot.resolve("tokenizer.json"))
        && (Files.isRegularFile(snapshot.resolve(precision.graphFile("onnx/model.onnx")))
            || Files.isRegularFile(snapshot.resolve(precision.graphFile("onnx/encoder_model.onnx"))));
  }

  private Path download(HubReference ref, Path repoDir, ModelPrecision precision)
      throws IOException, InterruptedException {
    JsonNode info = JSON.readTree(get(URI.create(settings.endpoint() + "/api/models/"
        + ref.repoId() + "/revision/" + encode(ref.revision())), ref));
    String commit = info.path("sha").asText("");
    if (!commit.matches("[0-9a-f]{40}")) {
      throw new IOException("the Hub answered without a commit hash for " + ref);
    }
    List<String> files = new ArrayList<>();
    for (JsonNode sibling : info.path("siblings")) {
      files.add(sibling.path("rfilename").asText());
    }
    List<String> wanted = select(files, precision);
    if (!wanted.contains("config.json") || !wanted.contains("tokenizer.json")
        || wanted.stream().noneMatch(f -> f.endsWith(".onnx"))) {
      if (precision == ModelPrecision.INT8
          && select(files, ModelPrecision.FP32).stream().anyMatch(f -> f.endsWith(".onnx"))) {
        throw new ModelLoadException(ref + " publishes no int8 graphs (onnx/*_quantized.onnx,"
            + " the Optimum and transformers.js naming; found " + files + "). Set the task's"
            + " precision to fp32 for it, or use a repository that publishes quantized graphs"
            + " (most Xenova and onnx-community exports do).");
      }
      throw new ModelLoadException(ref + " is not an ONNX export: it needs config.json,"
          + " tokenizer.json and onnx/*.onnx (found " + files + "). Use a repository exported"
          + " with optimum-cli export onnx (many are published under the Xenova and onnx-community"
          + " organisations).");
    }
    Path snapshot = repoDir.resolve("snapshots").resolve(commit);
    for (String file : wanted) {
      Path target = snapshot.resolve(file).normalize();
      if (!target.startsWith(snapshot)) {
        throw new IOException("refusing a file outside the snapshot: " + file);
      }
      if (Files.isRegularFile(target)) {
        continue;
      }
      Files.createDirectories(target.getParent());
      Path partial = target.resolveSibling(target.getFileName() + ".incomplete");
      try (InputStream body = get(URI.create(settings.endpoint() + "/" + ref.repoId()
          + "/resolve/" + commit + "/" + file), ref)) {
        Files.copy(body, partial, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    }
    if (!ref.revisionIsCommit()) {
      Path refFile = repoDir.resolve("refs").resolve(ref.revision());
      Files.createDirectories(refFile.getParent());
      Files.writeString(refFile, commit);
    }
    LOG.info("{} is commit {} ({} files in {})", ref, commit, wanted.size(), snapshot);
    return snapshot;
  }

  /** The files a pipeline reads in fp32 (see {@link #select(List, ModelPrecision)}). */
  static List<String> select(List<String> files) {
    return select(files, ModelPrecision.FP32);
  }

  /**
   * The files a pipeline reads: configuration, tokenizer and the graphs of {@code precision},
   * preferring the merged decoder over the split pair.
   */
  static List<String> select(List<String> files, ModelPrecision precision) {
    boolean merged = files.contains(precision.graphFile("onnx/decoder_model_merged.onnx"));
    boolean quantized = precision == ModelPrecision.INT8;
    List<String> wanted = new ArrayList<>();
    for (String f : files) {
      if (CONFIG_FILES.contains(f)) {
        wanted.add(f);
        continue;
      }
      Matcher graph = GRAPH.matcher(f);
      if (graph.matches() && (graph.group(2) != null) == quantized) {
        boolean split = graph.group(1).equals("decoder_model")
            || graph.group(1).equals("decoder_with_past_model");
        if (!(merged && split)) {
          wanted.add(f);
        }
      }
    }
    return wanted;
  }

  private InputStream get(URI uri, HubReference ref) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10));
    if (settings.token() != null) {
      request.header("Authorization", "Bearer " + settings.token());
    }
    HttpResponse<InputStream> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    int status = response.statusCode();
    if (status == 200) {
      return response.body();
    }
    response.body().close();
    if (status == 401 || status == 403) {
      throw new ModelLoadException(ref + " needs authorisation (HTTP " + status + "): set HF_TOKEN"
          + " to a token that can read it" + (settings.token() == null ? "." : " (the one set"
          + " was refused)."));
    }
    if (status == 404) {
      throw new ModelLoadException(ref + " was not found at " + settings.endpoint() + " (HTTP 404"
          + " for " + uri.getPath() + "): check the repository name and the revision.");
    }
    throw new IOException("HTTP " + status + " for " + uri);
  }

  private static String encode(String revision) {
    return URLEncoder.encode(revision, StandardCharsets.UTF_8);
  }
}
