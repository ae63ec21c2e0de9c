package dev.nlpstreams.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * docker/compose.yaml as a user starts it (docker-compose up): events in, results out keyed by
 * event id, and Prometheus reporting the processor's target up. Results are checked by key and
 * count only, so the test holds whichever wire format the registry setting selects.
 */
class ComposeSmokeIT {

  private static final Duration STARTUP = Duration.ofMinutes(4);
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(3)).build();
  private final Map<String, String> env = new HashMap<>();
  private final String project = "nlpsmoke" + UUID.randomUUID().toString().substring(0, 8);
  private Path compose;
  private boolean started;

  @BeforeEach
  void images() throws Exception {
    ContainerTests.requireDockerAndImages();
    ContainerTests.requireImage("nlp-streams/apicurio:2.6.13-local", "apicurio");
    ContainerTests.requireImage("nlp-streams/base-prometheus:local", "base");
    ContainerTests.requireCommand("docker-compose", "--version");
    compose = ContainerTests.projectRoot().resolve("docker/compose.yaml");
    env.put("PROCESSOR_IMAGE", ContainerTests.processorImage());
    env.put("KAFKA_HOST_PORT", String.valueOf(freePort()));
    env.put("PROCESSOR_ADMIN_HOST_PORT", String.valueOf(freePort()));
    env.put("PROMETHEUS_HOST_PORT", String.valueOf(freePort()));
    env.put("REGISTRY_HOST_PORT", String.valueOf(freePort()));
  }

  @AfterEach
  void down() throws Exception {
    if (!started) {
      return; // skipped (no Docker daemon): nothing was started, and there is nobody to ask
    }
    compose("logs", "--tail=40", "processor");
    // -v: the anonymous volumes of the processor's state go with the containers.
    compose("down", "-v", "--remove-orphans");
    assertThat(DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of("com.docker.compose.project", project)).exec())
        .as("containers left behind").isEmpty();
  }

  @Test
  void eventsGoInResultsComeOutAndPrometheusScrapesTheProcessor() throws Exception {
    started = true;
    assertThat(compose("up", "-d")).as("docker-compose up").isZero();
    String admin = "http://localhost:" + env.get("PROCESSOR_ADMIN_HOST_PORT");
    awaitHttp(admin + "/health/ready", body -> body.startsWith("ready"), STARTUP);

    try (NlpStreamsClient client =
        new NlpStreamsClient("localhost:" + env.get("KAFKA_HOST_PORT"))) {
      List<TextEvent> events = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        events.add(TextEvent.newBuilder().setEventId("smoke-" + i)
            .setText("Angela Merkel met Tim Cook in Berlin.").setTasks(List.of(Task.NER))
            .build());
      }
      client.sendAll(events);
      List<ConsumerRecord<byte[], byte[]>> results =
          client.awaitRecords("entities", events.size(), Duration.ofSeconds(90));
      assertThat(results).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
          .containsExactlyInAnyOrder("smoke-0", "smoke-1", "smoke-2", "smoke-3", "smoke-4");
    }

    String prometheus = "http://localhost:" + env.get("PROMETHEUS_HOST_PORT");
    awaitHttp(prometheus + "/api/v1/targets", body -> processorTargetUp(body), STARTUP);
    // Prometheus has scraped the traffic: the processor's own counter reached it.
    awaitHttp(prometheus + "/api/v1/query?query=sum(nlp_records_out_total%7Btask%3D%22NER%22%7D)",
        body -> body.contains("\"5\""), Duration.ofSeconds(60));
  }

  private static boolean processorTargetUp(String body) {
    try {
      for (JsonNode target : new ObjectMapper().readTree(body).path("data")
          .path("activeTargets")) {
        if (target.path("labels").path("job").asText().equals("nlp-streams")
            && target.path("health").asText().equals("up")) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private void awaitHttp(String url, java.util.function.Predicate<String> done, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        last = response.statusCode() + " " + response.body();
        if (response.statusCode() == 200 && done.test(response.body())) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(1_000);
    }
    throw new AssertionError("Timed out after " + timeout + " waiting for " + url + "; last: "
        + (last.length() > 500 ? last.substring(0, 500) : last));
  }

  private int compose(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("docker-compose", "-f", compose.toString(),
        "-p", project));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("docker-compose " + String.join(" ", args) + " timed out");
    }
    return process.exitValue();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
