package dev.nlpstreams.schema.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.time.Duration;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SchemaRegistryClient} over the JDK's HTTP client, speaking Confluent's REST API (also
 * served by Apicurio Registry under {@code /apis/ccompat/v7}).
 *
 * <p>Failover: the URLs are tried in turn, starting with the last one that answered. A connection
 * failure or a 5xx/408/429 answer moves on to the next URL; when every URL failed, the client
 * waits (exponential backoff, capped) and tries again, up to {@code max.retries} times and never
 * longer than {@link RegistrySettings#CALL_BUDGET} in all, then throws
 * {@link RegistryUnavailableException}. Thread-safe.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

  private static final Logger LOG = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistrySettings settings;
  private final HttpClient http;
  private final BoundedCache<Integer, Schema> schemasById;
  private final BoundedCache<SubjectSchema, Integer> idsBySubjectSchema;
  private final BoundedCache<String, CachedLatest> latestBySubject;
  /** Registry answers for referenced subject versions, which never change once registered. */
  private final BoundedCache<String, JsonNode> referencedVersions;
  private final AtomicInteger preferredUrl = new AtomicInteger();
  private final AtomicLong requests = new AtomicLong();

  private record SubjectSchema(String subject, Schema schema, boolean register) {}

  private record CachedLatest(RegisteredSchema schema, long fetchedAtNanos) {}

  private record Response(int status, JsonNode body) {}

  public HttpSchemaRegistryClient(RegistrySettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    HttpClient.Builder builder = HttpClient.newBuilder()
        .connectTimeout(settings.connectTimeout())
        .version(HttpClient.Version.HTTP_1_1);
    if (settings.ssl().configured()) {
      builder.sslContext(sslContext(settings.ssl()));
    }
    this.http = builder.build();
    this.schemasById = new BoundedCache<>(settings.cacheCapacity());
    this.idsBySubjectSchema = new BoundedCache<>(settings.cacheCapacity());
    this.latestBySubject = new BoundedCache<>(settings.cacheCapacity());
    this.referencedVersions = new BoundedCache<>(settings.cacheCapacity());
  }

  /** HTTP requests sent so far (every attempt counts): lets tests prove the hot path is cached. */
  public long requestCount() {
    return requests.get();
  }

  @Override
  public Schema schemaById(int id) {
    return schemasById.getOrLoad(id, key -> {
      JsonNode body = call("GET", "/schemas/ids/" + key, null, "schema id " + key);
      String type = body.path("schemaType").asText("AVRO");
      if (!"AVRO".equalsIgnoreCase(type)) {
        throw new RegistryException(0, -1, "Schema id " + key + " is a " + type
            + " schema; only Avro is supported.");
      }
      return parseWithReferences(body, "schema id " + key);
    });
  }

  @Override
  public int register(String subject, Schema schema) {
    return idsBySubjectSchema.getOrLoad(new SubjectSchema(subject, schema, true), key -> {
      JsonNode body = call("POST", "/subjects/" + encode(subject) + "/versions",
          schemaBody(schema), "subject " + subject);
      int id = body.path("id").asInt(-1);
      schemasById.put(id, schema);
      return id;
    });
  }

  @Override
  public int lookup(String subject, Schema schema) {
    return idsBySubjectSchema.getOrLoad(new SubjectSchema(subject, schema, false), key -> {
      JsonNode body = call("POST", "/subjects/" + encode(subject), schemaBody(schema),
          "schema " + schema.getFullName() + " under subject " + subject);
      int id = body.path("id").asInt(-1);
      schemasById.put(id, schema);
      return id;
    });
  }

  @Override
  public RegisteredSchema latest(String subject) {
    CachedLatest cached = latestBySubject.get(subject);
    long ttl = settings.latestCacheTtlSec();
    if (cached != null
        && (ttl < 0 || System.nanoTime() - cached.fetchedAtNanos() < ttl * 1_000_000_000L)) {
      return cached.schema();
    }
    JsonNode body = call("GET", "/subjects/" + encode(subject) + "/versions/latest", null,
        "subject " + subject);
    Schema schema = parseWithReferences(body, "subject " + subject);
    RegisteredSchema latest = new RegisteredSchema(body.path("id").asInt(-1), subject,
        body.path("version").asInt(-1), schema);
    schemasById.put(latest.id(), schema);
    latestBySubject.put(subject, new CachedLatest(latest, System.nanoTime()));
    return latest;
  }

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    JsonNode body = call("POST", "/compatibility/subjects/" + encode(subject)
        + "/versions/latest", schemaBody(schema), "subject " + subject);
    return body.path("is_compatible").asBoolean(false);
  }

  @Override
  public String toString() {
    return "HttpSchemaRegistryClient[" + settings + "]";
  }

  private JsonNode call(String method, String path, String body, String what) {
    Response response = send(method, path, body);
    if (response.status() >= 200 && response.status() < 300) {
      return response.body();
    }
    int errorCode = response.body().path("error_code").asInt(-1);
    String registryMessage = response.body().path("message").asText("");
    if (response.status() == 404 && errorCode / 100 == 404) {
      throw new SchemaNotFoundException(errorCode, "The schema registry does not know " + what
          + " (HTTP 404, error " + errorCode + ": " + registryMessage + ").");
    }
    String hint = switch (response.status()) {
      // A 404 without a registry's error code (404xx) comes from something else at that address:
      // a path that is not the registry's API, or a proxy. Taken as "unknown schema", it would
      // dead-letter every record while the registry knows them all.
      case 404 -> " The answer has no registry error code (404xx): is each schema.registry.url"
          + " the registry's Confluent-compatible API (Apicurio:"
          + " http://host:8080/apis/ccompat/v7)?";
      case 401, 403 -> " Check basic.auth.user.info or bearer.auth.token and the registry's"
          + " permissions for this subject.";
      case 409 -> " The schema is incompatible with the subject's compatibility rule; evolve it"
          + " compatibly or change the subject's compatibility level.";
      case 422 -> " The registry refused the schema as invalid.";
      default -> "";
    };
    throw new RegistryException(response.status(), errorCode, "Schema registry refused " + method
        + " for " + what + ": HTTP " + response.status() + ", error " + errorCode + ": "
        + registryMessage + "." + hint);
  }

  private Response send(String method, String path, String body) {
    List<URI> urls = settings.urls();
    // The last failure goes into the message, not the cause chain: operators' logs show the
    // innermost cause, and a bare ClosedChannelException says less than this message.
    String lastFailure = "no attempt made";
    long started = System.nanoTime();
    long deadline = started + RegistrySettings.CALL_BUDGET.toNanos();
    int attempts = 0;
    retrying:
    for (int attempt = 0; attempt <= settings.maxRetries(); attempt++) {
      attempts++;
      int first = preferredUrl.get();
      for (int i = 0; i < urls.size(); i++) {
        long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
        if (remainingMs <= 0) {
          break retrying;
        }
        int index = (first + i) % urls.size();
        URI base = urls.get(index);
        HttpRequest request = request(base, method, path, body,
            Duration.ofMillis(Math.min(remainingMs, settings.readTimeout().toMillis())));
        requests.incrementAndGet();
        try {
          HttpResponse<InputStream> response =
              http.send(request, HttpResponse.BodyHandlers.ofInputStream());
          int status = response.statusCode();
          JsonNode json = readJson(response);
          if (!isTransient(status)) {
            // Only an answer from a registry (a success, or its error body with an error_code)
            // makes this the URL to use first; a stray 404 from a wrong address must not.
            if (index != first && (status < 300 || json.has("error_code"))) {
              LOG.info("Schema registry failover: now using {}", base);
              preferredUrl.set(index);
            }
            return new Response(status, json);
          }
          lastFailure = base + " answered HTTP " + status + " "
              + json.path("message").asText("");
        } catch (IOException e) {
          lastFailure = base + ": " + e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new RegistryUnavailableException("Interrupted while calling the schema registry "
              + base, e);
        }
      }
      if (attempt < settings.maxRetries()) {
        long backoff = settings.backoffMs(attempt);
        if (System.nanoTime() + backoff * 1_000_000 >= deadline) {
          break;
        }
        sleep(backoff);
      }
    }
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    throw new RegistryUnavailableException("Schema registry unavailable: " + method + " " + path
        + " failed " + attempts + " time(s) on " + urls + " within "
        + elapsedMs + " ms; last: " + lastFailure + ". The record is retried, not dropped; check"
        + " that the registry runs and that schema.registry.url points at it.", null);
  }

  private HttpRequest request(URI base, String method, String path, String body,
      Duration timeout) {
    String basePath = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
    URI uri = base.resolve(basePath + path);
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
        .timeout(timeout)
        .header("Accept", CONTENT_TYPE + ", application/json");
    settings.authorizationHeader().ifPresent(value -> builder.header("Authorization", value));
    if (body == null) {
      builder.GET();
    } else {
      builder.header("Content-Type", CONTENT_TYPE)
          .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    return builder.build();
  }

  /** 5xx, request timeout and throttling: worth another try, possibly on another URL. */
  private static boolean isTransient(int status) {
    return status >= 500 || status == 408 || status == 429;
  }

  private static JsonNode readJson(HttpResponse<InputStream> response) throws IOException {
    try (InputStream in = response.body()) {
      byte[] bytes = in.readAllBytes();
      if (bytes.length == 0) {
        return JSON.createObjectNode();
      }
      try {
        return JSON.readTree(bytes);
      } catch (IOException e) {
        // A proxy's HTML error page, say: keep the status, drop the body.
        return JSON.createObjectNode().put("message",
            new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8));
      }
    }
  }

  private static String schemaBody(Schema schema) {
    ObjectNode node = JSON.createObjectNode();
    node.put("schema", schema.toString());
    return node.toString();
  }

  private static Schema parse(String text, String what) {
    return parse(newParser(), text, what);
  }

  /**
   * Defaults are not validated, as Confluent's own deserializer does not: registries store schemas
   * whose defaults do not match their types ({@code "type":"string","default":null}), producers
   * write with them, and a writer schema's defaults are never used to read.
   */
  private static Schema.Parser newParser() {
    return new Schema.Parser().setValidateDefaults(false);
  }

  private static Schema parse(Schema.Parser parser, String text, String what) {
    try {
      return parser.parse(text);
    } catch (AvroRuntimeException e) {
      // SchemaParseException, and what the parser throws for other invalid schemas (a duplicate
      // field, say): this schema can never be read, whatever we retry.
      throw new RegistryException(0, -1, "The registry's schema for " + what
          + " is not valid Avro: " + e.getMessage());
    }
  }

  /** Deeper than any sensible schema design; guards against a registry answering in circles. */
  private static final int MAX_REFERENCE_DEPTH = 32;

  /**
   * A registry answer's schema with the named types its {@code references} bring (Confluent's
   * schema references: another subject's version defines a type this schema only names). The
   * referenced schemas are parsed first, depth first, into the same parser, so the name resolves;
   * a type reached twice (a diamond) is defined once. The result is self-contained: its
   * {@code toString()} inlines every referenced type, which is also how our serializers register
   * schemas derived from it.
   */
  private Schema parseWithReferences(JsonNode body, String what) {
    JsonNode references = body.path("references");
    if (!references.isArray() || references.isEmpty()) {
      return parse(body.path("schema").asText(), what);
    }
    Schema.Parser parser = newParser();
    defineReferences(parser, references, new HashSet<>(), what, 1);
    return parse(parser, body.path("schema").asText(), what);
  }

  private void defineReferences(Schema.Parser parser, JsonNode references, Set<String> defined,
      String what, int depth) {
    for (JsonNode reference : references) {
      String subject = reference.path("subject").asText("");
      int version = reference.path("version").asInt(-1);
      String name = reference.path("name").asText("");
      if (subject.isEmpty() || version < 1) {
        throw new RegistryException(0, -1, "The registry's schema for " + what + " has a"
            + " reference without subject or version: " + reference);
      }
      if (!defined.add(subject + "/" + version)) {
        continue;
      }
      if (depth > MAX_REFERENCE_DEPTH) {
        throw new RegistryException(0, -1, "The registry's schema for " + what + " nests schema"
            + " references deeper than " + MAX_REFERENCE_DEPTH + " (at " + subject + " version "
            + version + "); is there a cycle?");
      }
      String referenceWhat = "reference " + name + " (subject " + subject + " version " + version
          + ") of " + what;
      JsonNode referenced = referencedVersions.getOrLoad(subject + "/" + version,
          key -> call("GET", "/subjects/" + encode(subject) + "/versions/" + version, null,
              referenceWhat));
      String type = referenced.path("schemaType").asText("AVRO");
      if (!"AVRO".equalsIgnoreCase(type)) {
        throw new RegistryException(0, -1, "The " + referenceWhat + " is a " + type
            + " schema; only Avro is supported.");
      }
      defineReferences(parser, referenced.path("references"), defined, referenceWhat, depth + 1);
      parse(parser, referenced.path("schema").asText(), referenceWhat);
    }
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException("Interrupted while waiting to retry the registry", e);
    }
  }

  private static SSLContext sslContext(RegistrySettings.SslSettings ssl) {
    try {
      TrustManagerFactory tmf = null;
      if (ssl.truststoreLocation() != null) {
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(ssl.truststoreLocation(), ssl.truststoreType(), ssl.truststorePassword()));
      }
      KeyManagerFactory kmf = null;
      if (ssl.keystoreLocation() != null) {
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        String keyPassword = ssl.keyPassword() != null ? ssl.keyPassword() : ssl.keystorePassword();
        kmf.init(load(ssl.keystoreLocation(), ssl.keystoreType(), ssl.keystorePassword()),
            keyPassword == null ? new char[0] : keyPassword.toCharArray());
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf == null ? null : kmf.getKeyManagers(),
          tmf == null ? null : tmf.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigException("Cannot set up TLS for the schema registry from "
          + RegistrySettings.SSL_PREFIX + "* settings: " + e.getMessage()
          + " (check the keystore/truststore locations, types and passwords)");
    }
  }

  private static KeyStore load(String location, String type, String password)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(type);
    try (InputStream in = Files.newInputStream(Path.of(location))) {
      store.load(in, password == null ? null : password.toCharArray());
    }
    return store;
  }
}
