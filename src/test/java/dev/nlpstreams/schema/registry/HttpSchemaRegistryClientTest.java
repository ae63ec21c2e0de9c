package dev.nlpstreams.schema.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.RetriableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client against recorded registry answers on a loopback server. */
class HttpSchemaRegistryClientTest {

  static final String GREETING = "{\"type\":\"record\",\"name\":\"Greeting\",\"namespace\":\"test\","
      + "\"fields\":[{\"name\":\"text\",\"type\":\"string\"}]}";
  static final Schema GREETING_SCHEMA = new Schema.Parser().parse(GREETING);

  private final RecordedRegistry registry;

  HttpSchemaRegistryClientTest() throws Exception {
    registry = new RecordedRegistry();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private HttpSchemaRegistryClient client(Map<String, String> extra) {
    Map<String, String> config = new HashMap<>();
    config.put("schema.registry.url", registry.url());
    config.put("retries.wait.ms", "10");
    config.put("retries.max.wait.ms", "20");
    config.putAll(extra);
    return new HttpSchemaRegistryClient(RegistrySettings.from(config));
  }

  private static String quoted(String json) {
    return "\"" + json.replace("\"", "\\\"") + "\"";
  }

  @Test
  void schemaByIdIsFetchedOnceThenServedFromTheCache() {
    registry.on("GET", "/schemas/ids/7", 200, "{\"schema\":" + quoted(GREETING) + "}");
    HttpSchemaRegistryClient client = client(Map.of());

    for (int i = 0; i < 100; i++) {
      assertThat(client.schemaById(7)).isEqualTo(GREETING_SCHEMA);
    }

    assertThat(registry.requests()).hasSize(1);
    assertThat(client.requestCount()).isEqualTo(1);
    assertThat(registry.requests().get(0).authorization()).isNull();
  }

  @Test
  void unknownIdIsSchemaNotFound() {
    registry.on("GET", "/schemas/ids/999", 404,
        "{\"error_code\":40403,\"message\":\"Schema not found\"}");

    assertThatThrownBy(() -> client(Map.of()).schemaById(999))
        .isInstanceOf(SchemaNotFoundException.class)
        .hasMessageContaining("schema id 999").hasMessageContaining("40403");
    assertThat(registry.requests()).hasSize(1);
  }

  @Test
  void registerPostsTheSchemaUnderTheSubjectAndCachesTheId() {
    registry.on("POST", "/subjects/orders-value/versions", 200, "{\"id\":5}");
    HttpSchemaRegistryClient client = client(Map.of());

    assertThat(client.register("orders-value", GREETING_SCHEMA)).isEqualTo(5);
    assertThat(client.register("orders-value", GREETING_SCHEMA)).isEqualTo(5);
    // The registered schema is known by id without asking.
    assertThat(client.schemaById(5)).isEqualTo(GREETING_SCHEMA);

    assertThat(registry.requests()).hasSize(1);
    RecordedRegistry.Request request = registry.requests().get(0);
    assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
    assertThat(request.body()).isEqualTo("{\"schema\":" + quoted(GREETING_SCHEMA.toString()) + "}");
  }

  @Test
  void lookupFindsAnIdWithoutRegisteringAndSaysWhenTheSchemaIsNotThere() {
    registry.on("POST", "/subjects/orders-value", 200, "{\"subject\":\"orders-value\",\"id\":3,"
        + "\"version\":2,\"schema\":" + quoted(GREETING) + "}");
    assertThat(client(Map.of()).lookup("orders-value", GREETING_SCHEMA)).isEqualTo(3);

    assertThatThrownBy(() -> client(Map.of()).lookup("other-value", GREETING_SCHEMA))
        .isInstanceOf(SchemaNotFoundException.class).hasMessageContaining("other-value");
  }

  @Test
  void subjectsAreUrlEncoded() {
    registry.on("POST", "/subjects/my%20topic-value/versions", 200, "{\"id\":9}");
    assertThat(client(Map.of()).register("my topic-value", GREETING_SCHEMA)).isEqualTo(9);
  }

  @Test
  void latestVersionAndCompatibility() {
    registry.on("GET", "/subjects/orders-value/versions/latest", 200, "{\"subject\":"
        + "\"orders-value\",\"id\":11,\"version\":4,\"schema\":" + quoted(GREETING) + "}");
    registry.on("POST", "/compatibility/subjects/orders-value/versions/latest", 200,
        "{\"is_compatible\":false}");
    HttpSchemaRegistryClient client = client(Map.of());

    RegisteredSchema latest = client.latest("orders-value");
    assertThat(latest).isEqualTo(new RegisteredSchema(11, "orders-value", 4, GREETING_SCHEMA));
    assertThat(client.latest("orders-value")).isEqualTo(latest);
    assertThat(client.isCompatible("orders-value", GREETING_SCHEMA)).isFalse();
    assertThat(registry.requests()).hasSize(2);
  }

  @Test
  void serverErrorsAreRetriedWithBackoffThenSucceed() {
    registry.on("GET", "/schemas/ids/7", 503, "{\"error_code\":50003,\"message\":\"busy\"}")
        .on("GET", "/schemas/ids/7", 500, "")
        .on("GET", "/schemas/ids/7", 200, "{\"schema\":" + quoted(GREETING) + "}");

    assertThat(client(Map.of()).schemaById(7)).isEqualTo(GREETING_SCHEMA);
    assertThat(registry.requests()).hasSize(3);
  }

  @Test
  void aRegistryThatKeepsFailingIsRetriableAfterBoundedRetries() {
    registry.on("GET", "/schemas/ids/7", 503, "{\"error_code\":50003,\"message\":\"busy\"}");

    assertThatThrownBy(() -> client(Map.of("max.retries", "2")).schemaById(7))
        .isInstanceOf(RegistryUnavailableException.class)
        .isInstanceOf(RetriableException.class)
        .hasMessageContaining("3 time(s)").hasMessageContaining("HTTP 503")
        .hasMessageContaining("retried, not dropped");
    assertThat(registry.requests()).hasSize(3);
  }

  @Test
  void anUnreachableFirstUrlFailsOverToTheNextAndSticksToIt() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    registry.on("GET", "/schemas/ids/1", 200, "{\"schema\":" + quoted(GREETING) + "}");
    registry.on("GET", "/schemas/ids/2", 200, "{\"schema\":\"\\\"string\\\"\"}");
    HttpSchemaRegistryClient client = client(Map.of("schema.registry.url",
        "http://127.0.0.1:" + closedPort + "," + registry.url()));

    assertThat(client.schemaById(1)).isEqualTo(GREETING_SCHEMA);
    assertThat(client.requestCount()).isEqualTo(2);
    assertThat(client.schemaById(2).getType()).isEqualTo(Schema.Type.STRING);
    // The second call went straight to the URL that answered.
    assertThat(client.requestCount()).isEqualTo(3);
  }

  @Test
  void nothingListeningIsRetriable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    HttpSchemaRegistryClient client = client(Map.of("schema.registry.url",
        "http://127.0.0.1:" + closedPort, "max.retries", "1"));

    assertThatThrownBy(() -> client.schemaById(1))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("127.0.0.1:" + closedPort);
    assertThat(client.requestCount()).isEqualTo(2);
  }

  @Test
  void basicAuthFromUserInfoAndFromTheUrl() {
    registry.on("GET", "/schemas/ids/1", 200, "{\"schema\":" + quoted(GREETING) + "}");

    client(Map.of("basic.auth.credentials.source", "USER_INFO",
        "basic.auth.user.info", "alice:s3cret")).schemaById(1);
    client(Map.of("basic.auth.credentials.source", "URL", "schema.registry.url",
        registry.url().replace("http://", "http://bob:pa55@"))).schemaById(1);

    assertThat(registry.requests()).extracting(RecordedRegistry.Request::authorization)
        .containsExactly("Basic YWxpY2U6czNjcmV0", "Basic Ym9iOnBhNTU=");
  }

  @Test
  void bearerToken() {
    registry.on("GET", "/schemas/ids/1", 200, "{\"schema\":" + quoted(GREETING) + "}");

    client(Map.of("bearer.auth.credentials.source", "STATIC_TOKEN",
        "bearer.auth.token", "tok-123")).schemaById(1);

    assertThat(registry.requests().get(0).authorization()).isEqualTo("Bearer tok-123");
  }

  @Test
  void anAuthenticationFailureIsNotRetriedAndSaysWhatToCheck() {
    registry.on("GET", "/schemas/ids/1", 401,
        "{\"error_code\":40101,\"message\":\"Unauthorized\"}");

    assertThatThrownBy(() -> client(Map.of()).schemaById(1))
        .isInstanceOf(RegistryException.class)
        .isNotInstanceOf(RetriableException.class)
        .hasMessageContaining("HTTP 401").hasMessageContaining("basic.auth.user.info");
    assertThat(registry.requests()).hasSize(1);
  }

  @Test
  void aWriterSchemaWhoseDefaultDoesNotMatchItsTypeIsStillRead() {
    // Registries store such schemas and Confluent's deserializer reads with them.
    String lax = GREETING.replace("\"type\":\"string\"}", "\"type\":\"string\",\"default\":null}");
    registry.on("GET", "/schemas/ids/8", 200, "{\"schema\":" + quoted(lax) + "}");

    assertThat(client(Map.of()).schemaById(8).getField("text").schema().getType())
        .isEqualTo(Schema.Type.STRING);
  }

  @Test
  void aSchemaAvroCannotParseIsARegistryErrorNotARuntimeFailure() {
    String duplicateField = GREETING.replace("]}",
        ",{\"name\":\"text\",\"type\":\"string\"}]}");
    registry.on("GET", "/schemas/ids/9", 200, "{\"schema\":" + quoted(duplicateField) + "}");

    assertThatThrownBy(() -> client(Map.of()).schemaById(9))
        .isInstanceOfSatisfying(RegistryException.class,
            e -> assertThat(e.httpStatus()).isZero())
        .isNotInstanceOf(SchemaNotFoundException.class)
        .hasMessageContaining("not valid Avro");
  }

  @Test
  void a404WithoutARegistryErrorCodeIsNotAnUnknownSchema() {
    // What a wrong path (Apicurio without /apis/ccompat/v7) or a proxy answers.
    registry.on("GET", "/schemas/ids/7", 404, "<html>Not Found</html>");

    assertThatThrownBy(() -> client(Map.of()).schemaById(7))
        .isInstanceOfSatisfying(RegistryException.class,
            e -> assertThat(e.httpStatus()).isEqualTo(404))
        .isNotInstanceOf(SchemaNotFoundException.class)
        .isNotInstanceOf(RetriableException.class)
        .hasMessageContaining("ccompat");
  }

  @Test
  void aStray404FromAFailoverUrlDoesNotMakeItTheUrlToUseFirst() throws Exception {
    try (RecordedRegistry wrongPath = new RecordedRegistry()) {
      registry.on("GET", "/schemas/ids/7", 503, "{\"error_code\":50301,\"message\":\"busy\"}");
      wrongPath.on("GET", "/schemas/ids/7", 404, "Not Found");
      registry.on("GET", "/schemas/ids/8", 200, "{\"schema\":" + quoted(GREETING) + "}");
      HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(RegistrySettings.from(Map.of(
          "schema.registry.url", registry.url() + "," + wrongPath.url(),
          "retries.wait.ms", "10", "retries.max.wait.ms", "20")));

      assertThatThrownBy(() -> client.schemaById(7)).isInstanceOf(RegistryException.class)
          .hasMessageContaining("HTTP 404");
      // The next call still goes to the first URL.
      assertThat(client.schemaById(8)).isEqualTo(GREETING_SCHEMA);
      assertThat(wrongPath.requests()).hasSize(1);
    }
  }

  @Test
  void aNonAvroSchemaIsRefused() {
    registry.on("GET", "/schemas/ids/4", 200,
        "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}");

    assertThatThrownBy(() -> client(Map.of()).schemaById(4))
        .isInstanceOf(RegistryException.class).hasMessageContaining("PROTOBUF");
  }

  @Test
  void toStringHidesSecrets() {
    HttpSchemaRegistryClient client = client(Map.of("basic.auth.user.info", "alice:s3cret",
        "schema.registry.url", registry.url().replace("http://", "http://bob:pa55@")));

    assertThat(client.toString()).contains("alice").doesNotContain("s3cret")
        .doesNotContain("pa55").doesNotContain("YWxpY2U6czNjcmV0");
  }

  // Schema references: Order names shop.Money and shop.Address; Address names shop.Money too
  // (a diamond), each defined under its own subject.
  private static final String MONEY = "{\"type\":\"record\",\"name\":\"Money\","
      + "\"namespace\":\"shop\",\"fields\":[{\"name\":\"cents\",\"type\":\"long\"}]}";
  private static final String ADDRESS = "{\"type\":\"record\",\"name\":\"Address\","
      + "\"namespace\":\"shop\",\"fields\":[{\"name\":\"city\",\"type\":\"string\"},"
      + "{\"name\":\"delivery_fee\",\"type\":\"shop.Money\"}]}";
  private static final String ORDER = "{\"type\":\"record\",\"name\":\"Order\","
      + "\"namespace\":\"shop\",\"fields\":[{\"name\":\"total\",\"type\":\"shop.Money\"},"
      + "{\"name\":\"ship_to\",\"type\":\"shop.Address\"}]}";
  private static final String MONEY_REF =
      "{\"name\":\"shop.Money\",\"subject\":\"money\",\"version\":2}";

  @Test
  void referencedSchemasAreFetchedByVersionAndResolvedOnceEach() {
    registry.on("GET", "/schemas/ids/30", 200, "{\"schema\":" + quoted(ORDER)
        + ",\"references\":[" + MONEY_REF + ",{\"name\":\"shop.Address\",\"subject\":"
        + "\"address\",\"version\":1}]}");
    registry.on("GET", "/subjects/money/versions/2", 200, "{\"id\":10,\"subject\":\"money\","
        + "\"version\":2,\"schema\":" + quoted(MONEY) + ",\"references\":[]}");
    registry.on("GET", "/subjects/address/versions/1", 200, "{\"id\":11,\"subject\":"
        + "\"address\",\"version\":1,\"schema\":" + quoted(ADDRESS) + ",\"references\":["
        + MONEY_REF + "]}");
    HttpSchemaRegistryClient client = client(Map.of());

    Schema order = client.schemaById(30);

    assertThat(order.getField("total").schema().getField("cents")).isNotNull();
    assertThat(order.getField("ship_to").schema().getField("delivery_fee").schema())
        .isSameAs(order.getField("total").schema());
    // Self-contained: the same schema written out with every type inline.
    assertThat(new Schema.Parser().parse(order.toString())).isEqualTo(order);
    assertThat(registry.requests()).extracting(RecordedRegistry.Request::path)
        .containsExactly("/schemas/ids/30", "/subjects/money/versions/2",
            "/subjects/address/versions/1");
  }

  @Test
  void aReferenceToAMissingSubjectVersionIsSchemaNotFound() {
    registry.on("GET", "/schemas/ids/31", 200, "{\"schema\":" + quoted(ORDER)
        + ",\"references\":[" + MONEY_REF + "]}");
    registry.on("GET", "/subjects/money/versions/2", 404,
        "{\"error_code\":40402,\"message\":\"Version 2 not found.\"}");

    assertThatThrownBy(() -> client(Map.of()).schemaById(31))
        .isInstanceOf(SchemaNotFoundException.class)
        .hasMessageContaining("reference shop.Money (subject money version 2) of schema id 31");
  }
}
