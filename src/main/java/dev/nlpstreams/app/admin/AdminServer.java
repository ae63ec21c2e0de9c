package dev.nlpstreams.app.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP endpoint, on the JDK's own HTTP server (no web framework for three paths):
 *
 * <ul>
 *   <li>{@value #LIVE_PATH}: 200 while the process can make progress, 503 when it cannot recover
 *       by itself (Kafka Streams in ERROR): an orchestrator should restart it;
 *   <li>{@value #READY_PATH}: 200 when every readiness check passes, else 503; the body lists
 *       each check;
 *   <li>{@value #METRICS_PATH}: Prometheus text exposition format.
 * </ul>
 *
 * <p>One daemon thread serves requests: probes and a scraper are a few requests per second, and a
 * single thread can never compete with the stream threads for cores.
 */
public final class AdminServer implements AutoCloseable {

  public static final String LIVE_PATH = "/health/live";
  public static final String READY_PATH = "/health/ready";
  public static final String METRICS_PATH = "/metrics";

  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
  /** Prometheus text format 0.0.4, which every Prometheus version scrapes. */
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private AdminServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Binds and starts serving.
   *
   * @param host address to bind (127.0.0.1 keeps it private; 0.0.0.0 in containers)
   * @param port port, or 0 for a free one (see {@link #port()})
   * @param live liveness check
   * @param ready readiness checks
   * @throws IOException when the address cannot be bound
   */
  public static AdminServer start(String host, int port, PrometheusMeterRegistry registry,
      BooleanSupplier live, Readiness ready) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    server.createContext(LIVE_PATH, exchange -> {
      boolean ok = safely(live);
      respond(exchange, ok ? 200 : 503, "text/plain; charset=utf-8", ok ? "live\n" : "not live\n");
    });
    server.createContext(READY_PATH, exchange -> {
      Map<String, Boolean> results = ready.results();
      boolean ok = !results.isEmpty() && !results.containsValue(false);
      StringBuilder body = new StringBuilder(ok ? "ready\n" : "not ready\n");
      results.forEach((name, result) -> body.append(name).append(": ").append(result).append('\n'));
      respond(exchange, ok ? 200 : 503, "text/plain; charset=utf-8", body.toString());
    });
    server.createContext(METRICS_PATH,
        exchange -> respond(exchange, 200, PROMETHEUS_TEXT, registry.scrape()));
    ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "nlp-streams-admin");
      thread.setDaemon(true);
      return thread;
    });
    server.setExecutor(executor);
    server.start();
    AdminServer admin = new AdminServer(server, executor);
    LOG.info("Admin endpoint on http://{}:{} ({}, {}, {})", host, admin.port(), LIVE_PATH,
        READY_PATH, METRICS_PATH);
    return admin;
  }

  /** The bound port (the chosen one when started with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static boolean safely(BooleanSupplier check) {
    try {
      return check.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      if ("HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    // Answer no new requests; a request in flight gets a second to finish.
    server.stop(1);
    executor.shutdownNow();
  }
}
