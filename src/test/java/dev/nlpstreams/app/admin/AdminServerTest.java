package dev.nlpstreams.app.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The admin endpoint over real HTTP on a loopback port. */
class AdminServerTest {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpClient http = HttpClient.newHttpClient();
  private AdminServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    registry.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void readinessFollowsEveryCheckAndNamesTheFailingOne() throws Exception {
    AtomicBoolean running = new AtomicBoolean(false);
    server = AdminServer.start("127.0.0.1", 0, registry, () -> true,
        Readiness.of().and("models-loaded", () -> true).and("kafka-streams-running", running::get));

    HttpResponse<String> notReady = get(AdminServer.READY_PATH);
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body()).contains("kafka-streams-running: false", "models-loaded: true");
    assertThat(get(AdminServer.LIVE_PATH).statusCode()).isEqualTo(200);

    running.set(true);
    assertThat(get(AdminServer.READY_PATH).statusCode()).isEqualTo(200);
  }

  @Test
  void livenessFailsWhenTheCheckFailsOrThrows() throws Exception {
    server = AdminServer.start("127.0.0.1", 0, registry, () -> {
      throw new IllegalStateException("boom");
    }, Readiness.of().and("x", () -> true));
    assertThat(get(AdminServer.LIVE_PATH).statusCode()).isEqualTo(503);
  }

  @Test
  void metricsServeThePrometheusTextFormat() throws Exception {
    ProcessMetrics.bindJvmAndProcess(registry);
    registry.counter("nlp.records.in", "topic", "t", "task", "NER").increment(3);
    server = AdminServer.start("127.0.0.1", 0, registry, () -> true, Readiness.of());

    HttpResponse<String> metrics = get(AdminServer.METRICS_PATH);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
    assertThat(metrics.body()).contains("nlp_records_in_total{task=\"NER\",topic=\"t\"} 3.0",
        "jvm_memory_used_bytes", "process_uptime_seconds");
  }

  @Test
  void anEmptyReadinessIsNeverReady() {
    assertThat(Readiness.of().getAsBoolean()).isFalse();
    assertThatThrownBy(() -> Readiness.of().and("a", () -> true).and("a", () -> true))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
