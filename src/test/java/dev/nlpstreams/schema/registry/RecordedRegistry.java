package dev.nlpstreams.schema.registry;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A loopback HTTP server that answers registry requests from recorded response bodies (taken from
 * Confluent's REST API documentation and a real Apicurio registry) and records every request, so a
 * unit test can check what the client sent and how often. Integration tests use the real registry.
 */
public final class RecordedRegistry implements AutoCloseable {

  /** One request as received. */
  public record Request(String method, String path, String authorization, String contentType,
      String body) {}

  private record Answer(int status, String body) {}

  private final HttpServer server;
  private final Map<String, Deque<Answer>> answers = new HashMap<>();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

  public RecordedRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = exchange.getRequestURI().getRawPath();
      requests.add(new Request(exchange.getRequestMethod(), path,
          exchange.getRequestHeaders().getFirst("Authorization"),
          exchange.getRequestHeaders().getFirst("Content-Type"), body));
      Answer answer = next(exchange.getRequestMethod() + " " + path);
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
      exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
  }

  /**
   * Answers {@code method path} with the given responses in turn; the last one repeats. Unknown
   * routes get Confluent's 404 body.
   */
  public RecordedRegistry on(String method, String path, int status, String body) {
    synchronized (answers) {
      answers.computeIfAbsent(method + " " + path, k -> new ArrayDeque<>())
          .add(new Answer(status, body));
    }
    return this;
  }

  private Answer next(String route) {
    synchronized (answers) {
      Deque<Answer> queue = answers.get(route);
      if (queue == null || queue.isEmpty()) {
        return new Answer(404, "{\"error_code\":40401,\"message\":\"Subject not found.\"}");
      }
      return queue.size() > 1 ? queue.poll() : queue.peek();
    }
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
