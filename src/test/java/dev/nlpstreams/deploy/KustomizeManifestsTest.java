package dev.nlpstreams.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.nlpstreams.app.admin.AdminServer;
import dev.nlpstreams.config.NlpStreamsConfig;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Renders every kustomize overlay with {@code kubectl kustomize} and checks what would otherwise
 * only fail in a cluster: the settings load with the application's own configuration class, probes
 * and the Service hit the admin endpoint the settings open, the grace period outlasts the close
 * timeout, replicas never exceed the input partitions, and every object passes the Kubernetes (and
 * KEDA) schemas ({@code k8s/validate/validate.mjs}, npm kubernetes-models, offline).
 *
 * <p>Needs kubectl (1.32 has kustomize built in) and {@code npm ci --ignore-scripts --prefix
 * k8s/validate}; skipped without them, except under CI=true, where it fails.
 */
class KustomizeManifestsTest {

  private static final ObjectMapper YAML = new YAMLMapper();
  private static final String PARTITIONS_ANNOTATION = "nlp-streams.dev/input-partitions";

  @ParameterizedTest
  @ValueSource(strings = {"k8s/base", "k8s/overlays/gpu", "k8s/overlays/autoscale"})
  void everyOverlayRendersConsistentlyAndPassesTheSchemas(String overlay) throws Exception {
    String rendered = run(List.of("kubectl", "kustomize", root().resolve(overlay).toString()),
        null);
    List<JsonNode> objects = parse(rendered);

    JsonNode deployment = only(objects, "Deployment");
    JsonNode container = deployment.at("/spec/template/spec/containers/0");
    NlpStreamsConfig config = effectiveConfig(objects, container);

    // The admin endpoint the settings open is the one the pod, the probes and the Service use.
    assertThat(config.adminHost()).as("admin host reachable from the kubelet").isEqualTo("0.0.0.0");
    assertThat(config.adminEnabled()).isTrue();
    int adminPort = config.adminPort();
    JsonNode adminPortSpec = port(container, "admin");
    assertThat(adminPortSpec.path("containerPort").asInt()).isEqualTo(adminPort);
    assertProbe(container, "startupProbe", AdminServer.LIVE_PATH, adminPort);
    assertProbe(container, "livenessProbe", AdminServer.LIVE_PATH, adminPort);
    assertProbe(container, "readinessProbe", AdminServer.READY_PATH, adminPort);
    JsonNode service = only(objects, "Service");
    JsonNode target = service.at("/spec/ports/0/targetPort");
    assertThat(target.isInt() ? target.asText() : target.asText())
        .isIn("admin", String.valueOf(adminPort));
    assertThat(deployment.at("/spec/template/metadata/annotations/prometheus.io~1port").asInt())
        .isEqualTo(adminPort);
    assertThat(deployment.at("/spec/template/metadata/annotations/prometheus.io~1path").asText())
        .isEqualTo(AdminServer.METRICS_PATH);
    // Scrape targets are the pods, once each: an annotated Service would add each pod again.
    assertThat(service.at("/metadata/annotations").path("prometheus.io/scrape").isMissingNode())
        .as("Service without prometheus.io/scrape").isTrue();

    // SIGKILL must not cut Kafka Streams' close short.
    long grace = deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asLong(30);
    assertThat(grace * 1000).as("terminationGracePeriodSeconds vs " + NlpStreamsConfig.SHUTDOWN_TIMEOUT_MS)
        .isGreaterThan(config.shutdownTimeoutMs());
    assertThat(deployment.at("/spec/template/spec/enableServiceLinks").asBoolean(true)).isFalse();

    // Pods beyond the input partitions would hold no partition.
    int partitions = deployment.at("/metadata/annotations").path(PARTITIONS_ANNOTATION).asInt(-1);
    assertThat(partitions).as(PARTITIONS_ANNOTATION).isPositive();
    if (deployment.at("/spec/replicas").isInt()) {
      assertThat(deployment.at("/spec/replicas").asInt()).isBetween(1, partitions);
    }
    for (JsonNode scaled : all(objects, "ScaledObject")) {
      assertThat(scaled.at("/spec/maxReplicaCount").asInt()).isBetween(1, partitions);
      assertThat(scaled.at("/spec/scaleTargetRef/name").asText())
          .isEqualTo(deployment.at("/metadata/name").asText());
      JsonNode trigger = scaled.at("/spec/triggers/0");
      assertThat(trigger.path("type").asText()).isEqualTo("kafka");
      assertThat(trigger.at("/metadata/consumerGroup").asText()).isEqualTo(config.applicationId());
      assertThat(trigger.at("/metadata/topic").asText()).isEqualTo(config.inputTopic());
      assertThat(deployment.has("spec") && deployment.get("spec").has("replicas"))
          .as("KEDA owns the replica count").isFalse();
    }
    if (overlay.endsWith("gpu")) {
      assertThat(container.at("/resources/limits/nvidia.com~1gpu").asText()).isEqualTo("1");
      assertThat(container.path("image").asText()).endsWith(":cuda");
      assertThat(deployment.at("/spec/template/spec/nodeSelector").size()).isPositive();
      assertThat(deployment.at("/spec/template/spec/tolerations").size()).isPositive();
      assertThat(config.inferenceDevice().toString()).contains("cuda");
    }

    String validation = validate(rendered);
    assertThat(validation).contains("valid apps/v1 Deployment");
  }

  @Test
  void theSchemaValidatorRejectsABrokenObject() throws Exception {
    String broken = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: broken}
        spec:
          template:
            spec:
              containers: [{name: a, image: b, ports: [{containerPort: admin}]}]
        """;
    requireValidator();
    Process process = start(List.of("node", validator().toString()), broken);
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(out).isEqualTo(1);
    assertThat(out).contains("INVALID apps/v1 Deployment broken");
  }

  /** The ConfigMap's properties, then the container's NLP_STREAMS_/KAFKA_ variables, as the app loads them. */
  private static NlpStreamsConfig effectiveConfig(List<JsonNode> objects, JsonNode container)
      throws IOException {
    JsonNode configMap = only(objects, "ConfigMap");
    Properties file = new Properties();
    file.load(new StringReader(configMap.at("/data/application.properties").asText()));
    Map<String, String> settings = new HashMap<>();
    file.forEach((k, v) -> settings.put(k.toString(), v.toString().trim()));
    Map<String, String> environment = new HashMap<>();
    for (JsonNode variable : container.path("env")) {
      environment.put(variable.path("name").asText(), variable.path("value").asText());
    }
    Path properties = Files.createTempFile("nlp-streams", ".properties");
    try {
      Files.writeString(properties, configMap.at("/data/application.properties").asText());
      // Throws on unknown nlp.* keys, invalid values and unsafe combinations.
      return NlpStreamsConfig.load(properties, environment, Map.of());
    } finally {
      Files.deleteIfExists(properties);
    }
  }

  private static void assertProbe(JsonNode container, String probe, String path, int port) {
    JsonNode get = container.path(probe).path("httpGet");
    assertThat(get.path("path").asText()).as(probe + " path").isEqualTo(path);
    JsonNode probePort = get.path("port");
    if (probePort.isInt()) {
      assertThat(probePort.asInt()).as(probe + " port").isEqualTo(port);
    } else {
      assertThat(port(container, probePort.asText()).path("containerPort").asInt())
          .as(probe + " port " + probePort.asText()).isEqualTo(port);
    }
  }

  private static JsonNode port(JsonNode container, String name) {
    for (JsonNode port : container.path("ports")) {
      if (port.path("name").asText().equals(name)) {
        return port;
      }
    }
    throw new AssertionError("No container port named " + name);
  }

  private static List<JsonNode> parse(String rendered) throws IOException {
    List<JsonNode> objects = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(rendered)) {
      var iterator = YAML.readValues(parser, ObjectNode.class);
      while (iterator.hasNext()) {
        objects.add(iterator.next());
      }
    }
    return objects;
  }

  private static List<JsonNode> all(List<JsonNode> objects, String kind) {
    return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
  }

  private static JsonNode only(List<JsonNode> objects, String kind) {
    List<JsonNode> matching = all(objects, kind);
    assertThat(matching).as("rendered " + kind + " objects").hasSize(1);
    return matching.get(0);
  }

  private static String validate(String rendered) throws Exception {
    requireValidator();
    return run(List.of("node", validator().toString()), rendered);
  }

  private static Path validator() {
    return root().resolve("k8s/validate/validate.mjs");
  }

  private static void requireValidator() {
    if (!Files.isDirectory(root().resolve("k8s/validate/node_modules/kubernetes-models"))) {
      unavailable("k8s/validate has no node_modules: run `npm ci --ignore-scripts --prefix"
          + " k8s/validate` (Node.js 20+).");
    }
  }

  private static String run(List<String> command, String stdin) throws Exception {
    Process process = start(command, stdin);
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " timed out");
    }
    assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    return out;
  }

  private static Process start(List<String> command, String stdin) throws IOException {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      unavailable(command.get(0) + " is not installed (" + e.getMessage() + ").");
      throw e;
    }
    try (var in = process.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    }
    return process;
  }

  private static void unavailable(String message) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail("CI=true: the manifest checks must run, but: " + message);
    }
    Assumptions.abort(message);
  }

  private static Path root() {
    Path root = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    if (!Files.isRegularFile(root.resolve("pom.xml"))) {
      throw new IllegalStateException("Run from the project directory (no pom.xml in " + root + ")");
    }
    return root;
  }
}
