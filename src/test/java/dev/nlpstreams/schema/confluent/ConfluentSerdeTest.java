package dev.nlpstreams.schema.confluent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.registry.HttpSchemaRegistryClient;
import dev.nlpstreams.schema.registry.RecordedRegistry;
import dev.nlpstreams.schema.registry.RegistrySettings;
import dev.nlpstreams.schema.registry.RegistryUnavailableException;
import dev.nlpstreams.schema.registry.SchemaNotFoundException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import dev.nlpstreams.schema.AvroTestBytes;
import org.apache.avro.Schema;
import org.apache.avro.SystemLimitException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Serializer and reader over recorded registry answers. */
class ConfluentSerdeTest {

  /** A user's schema, not ours, with a nested record. */
  private static final Schema ORDER = new Schema.Parser().parse("{\"type\":\"record\",\"name\":"
      + "\"Order\",\"namespace\":\"shop\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
      + "{\"name\":\"payload\",\"type\":{\"type\":\"record\",\"name\":\"Payload\",\"fields\":"
      + "[{\"name\":\"body\",\"type\":\"string\"}]}}]}");
  /** Order v2: an added optional field with a default. */
  private static final Schema ORDER_V2 = new Schema.Parser().parse(ORDER.toString().replace(
      "\"fields\":[{\"name\":\"id\"", "\"fields\":[{\"name\":\"note\",\"type\":[\"null\","
      + "\"string\"],\"default\":null},{\"name\":\"id\""));

  private final RecordedRegistry registry;

  ConfluentSerdeTest() throws Exception {
    registry = new RecordedRegistry();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private static String body(Schema schema) {
    return "{\"schema\":\"" + schema.toString().replace("\\", "\\\\").replace("\"", "\\\"")
        + "\"}";
  }

  private static GenericRecord order(String id, String text) {
    GenericRecord payload = new GenericData.Record(ORDER.getField("payload").schema());
    payload.put("body", text);
    GenericRecord order = new GenericData.Record(ORDER);
    order.put("id", id);
    order.put("payload", payload);
    return order;
  }

  private RegistrySettings settings(Map<String, String> extra) {
    Map<String, String> config = new HashMap<>(Map.of("schema.registry.url", registry.url(),
        "retries.wait.ms", "5", "retries.max.wait.ms", "5"));
    config.putAll(extra);
    return RegistrySettings.from(config);
  }

  @Test
  void genericRoundTripMakesNoHttpCallOnceWarm() {
    registry.on("POST", "/subjects/orders-value/versions", 200, "{\"id\":21}");
    RegistrySettings settings = settings(Map.of());
    HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(settings);
    ConfluentAvroSerializer serializer = new ConfluentAvroSerializer(client, settings, false);
    ConfluentAvroDeserializer deserializer =
        new ConfluentAvroDeserializer(new ConfluentAvroReader(client));

    for (int i = 0; i < 200; i++) {
      byte[] bytes = serializer.serialize("orders", order("o-" + i, "text " + i));
      assertThat(Arrays.copyOf(bytes, 5)).containsExactly(0, 0, 0, 0, 21);
      GenericRecord back = (GenericRecord) deserializer.deserialize("orders", bytes);
      assertThat(back.get("id").toString()).isEqualTo("o-" + i);
      assertThat(((GenericRecord) back.get("payload")).get("body").toString())
          .isEqualTo("text " + i);
    }
    // One registration; the id then also names the writer schema without a GET.
    assertThat(client.requestCount()).isEqualTo(1);
  }

  @Test
  void recordNameStrategyAndLookupWithoutRegistering() {
    registry.on("POST", "/subjects/shop.Order", 200,
        "{\"subject\":\"shop.Order\",\"id\":4,\"version\":1," + body(ORDER).substring(1));
    RegistrySettings settings = settings(Map.of("auto.register.schemas", "false",
        "value.subject.name.strategy", "record"));
    HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(settings);

    byte[] bytes = new ConfluentAvroSerializer(client, settings, false)
        .serialize("orders", order("o-1", "x"));

    assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(4);
    assertThat(registry.requests()).extracting(RecordedRegistry.Request::path)
        .containsExactly("/subjects/shop.Order");
  }

  @Test
  void lookupOfAnUnregisteredSchemaFailsClearly() {
    RegistrySettings settings = settings(Map.of("auto.register.schemas", "false"));
    ConfluentAvroSerializer serializer = new ConfluentAvroSerializer(
        new HttpSchemaRegistryClient(settings), settings, false);

    assertThatThrownBy(() -> serializer.serialize("orders", order("o-1", "x")))
        .isInstanceOf(SchemaNotFoundException.class).hasMessageContaining("orders-value");
  }

  @Test
  void useLatestVersionWritesWithTheSubjectsLatestSchema() throws Exception {
    registry.on("GET", "/subjects/orders-value/versions/latest", 200,
        "{\"subject\":\"orders-value\",\"id\":30,\"version\":2," + body(ORDER_V2).substring(1));
    RegistrySettings settings = settings(Map.of("auto.register.schemas", "false",
        "use.latest.version", "true"));
    HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(settings);

    byte[] bytes = new ConfluentAvroSerializer(client, settings, false)
        .serialize("orders", order("o-9", "nested"));
    GenericRecord back = (GenericRecord) new ConfluentAvroReader(client).read(bytes, null, false);

    assertThat(ConfluentWireFormat.schemaId(bytes)).isEqualTo(30);
    assertThat(back.getSchema()).isEqualTo(ORDER_V2);
    assertThat(back.get("note")).isNull();
    assertThat(back.get("id").toString()).isEqualTo("o-9");
  }

  @Test
  void specificRecordsResolveFromAnOlderWriterSchema() throws Exception {
    // A writer that knew only event_id and text: the reader fills the rest from defaults.
    Schema oldTextEvent = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"TextEvent\","
        + "\"namespace\":\"dev.nlpstreams.schema.avro\",\"fields\":[{\"name\":\"event_id\","
        + "\"type\":\"string\"},{\"name\":\"text\",\"type\":\"string\"}]}");
    registry.on("GET", "/schemas/ids/3", 200, body(oldTextEvent));
    GenericRecord old = new GenericData.Record(oldTextEvent);
    old.put("event_id", "e-old");
    old.put("text", "hello");
    registry.on("POST", "/subjects/t-value/versions", 200, "{\"id\":3}");
    RegistrySettings settings = settings(Map.of());
    byte[] bytes = new ConfluentAvroSerializer(new HttpSchemaRegistryClient(settings), settings,
        false).serialize("t", old);

    Object event = new ConfluentAvroReader(new HttpSchemaRegistryClient(settings))
        .read(bytes, TextEvent.getClassSchema(), true);

    assertThat(event).isEqualTo(TextEvent.newBuilder().setEventId("e-old").setText("hello")
        .build());
  }

  @Test
  void whatCanNeverBeReadCarriesItsReason() {
    registry.on("GET", "/schemas/ids/21", 200, body(ORDER));
    registry.on("GET", "/schemas/ids/404", 404,
        "{\"error_code\":40403,\"message\":\"Schema not found\"}");
    ConfluentAvroReader reader =
        new ConfluentAvroReader(new HttpSchemaRegistryClient(settings(Map.of())));

    assertReason(reader, new byte[] {0, 0, 0, 1, (byte) 0x94, 2, 0x41}, ReasonCode.UNKNOWN_SCHEMA,
        "Unknown schema id 404");
    assertReason(reader, new byte[] {0, 0, 0}, ReasonCode.MALFORMED_PAYLOAD, "00 00 00");
    assertReason(reader, new byte[] {'{', '}'}, ReasonCode.MALFORMED_PAYLOAD, "7B 7D");
    // Id 21 (Order), then a string length far beyond the bytes that follow.
    assertReason(reader, new byte[] {0, 0, 0, 0, 21, 0x7e, 0x41}, ReasonCode.MALFORMED_PAYLOAD,
        "Corrupt Avro body for schema id 21");
    // A valid Order followed by junk: written with another schema than its id says.
    byte[] valid = {0, 0, 0, 0, 21, 2, 0x41, 2, 0x42, 9, 9};
    assertReason(reader, valid, ReasonCode.MALFORMED_PAYLOAD, "bytes left");
  }

  @Test
  void aHugeDeclaredLengthIsRefusedByAvrosLimitNotAllocated() {
    registry.on("GET", "/schemas/ids/21", 200, body(ORDER));
    ConfluentAvroReader reader =
        new ConfluentAvroReader(new HttpSchemaRegistryClient(settings(Map.of())));
    // Id 21 (Order), then an id string declared 2,000,000,000 bytes long in ten bytes in all:
    // without a limit Avro allocates the two gigabytes before it finds the bytes missing.
    byte[] payload = AvroTestBytes.concat(new byte[] {0, 0, 0, 0, 21},
        AvroTestBytes.zigZagLong(2_000_000_000L));

    assertThatThrownBy(() -> reader.read(payload, null, false))
        .isInstanceOfSatisfying(PayloadException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.MALFORMED_PAYLOAD))
        .hasRootCauseInstanceOf(SystemLimitException.class);
  }

  @Test
  void anUnreachableRegistryIsRetriableNotAPayloadProblem() {
    registry.close();
    ConfluentAvroReader reader =
        new ConfluentAvroReader(new HttpSchemaRegistryClient(settings(Map.of("max.retries", "1"))));

    assertThatThrownBy(() -> reader.read(new byte[] {0, 0, 0, 0, 1, 0}, null, false))
        .isInstanceOf(RegistryUnavailableException.class);
    assertThatThrownBy(() -> new ConfluentAvroDeserializer(reader).deserialize("t",
        new byte[] {0, 0, 0, 0, 1, 0})).isInstanceOf(RegistryUnavailableException.class);
  }

  @Test
  void deserializerReportsUnreadableValuesAsSerializationExceptions() {
    ConfluentAvroDeserializer deserializer = new ConfluentAvroDeserializer(
        new ConfluentAvroReader(new HttpSchemaRegistryClient(settings(Map.of()))));
    assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {1, 2}))
        .isInstanceOf(SerializationException.class).hasMessageContaining("MALFORMED_PAYLOAD");
  }

  private static void assertReason(ConfluentAvroReader reader, byte[] payload, ReasonCode reason,
      String messagePart) {
    assertThatThrownBy(() -> reader.read(payload, null, false))
        .isInstanceOfSatisfying(PayloadException.class,
            e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(messagePart);
  }
}
