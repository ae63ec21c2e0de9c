package dev.nlpstreams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.avro.Entities;
import dev.nlpstreams.schema.avro.ModelInfo;
import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.confluent.ConfluentAvroSerializer;
import dev.nlpstreams.schema.confluent.ConfluentWireFormat;
import dev.nlpstreams.schema.confluent.RegistryAvroDeserializer;
import dev.nlpstreams.schema.confluent.RegistryAvroSerializer;
import dev.nlpstreams.schema.registry.HttpSchemaRegistryClient;
import dev.nlpstreams.schema.registry.RecordedRegistry;
import dev.nlpstreams.schema.registry.RegistrySettings;
import dev.nlpstreams.streams.InputRecord;
import dev.nlpstreams.streams.OutputValue;
import dev.nlpstreams.streams.SourceRecordInfo;
import dev.nlpstreams.streams.TopologyIo;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Serdes named by class, as a user would name Confluent's: here our own Kafka-style serdes stand
 * in for them, configured the same way.
 */
class PluggedSerdesTest {

  private static InputRecord record(byte[] value) {
    return new InputRecord("in", 0, 1L, 0L, new RecordHeaders(),
        "key-1".getBytes(StandardCharsets.UTF_8), value);
  }

  private static String schemaBody(Schema schema) {
    return "{\"schema\":\"" + schema.toString().replace("\\", "\\\\").replace("\"", "\\\"")
        + "\"}";
  }

  private static NlpStreamsConfig config(RecordedRegistry registry, Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(Map.of("schema.registry.url", registry.url(),
        NlpStreamsConfig.SERDE_VALUE_DESERIALIZER, RegistryAvroDeserializer.class.getName(),
        NlpStreamsConfig.SERDE_VALUE_SERIALIZER, RegistryAvroSerializer.class.getName()));
    settings.putAll(extra);
    return NlpStreamsConfig.of(settings);
  }

  @Test
  void specificReaderGivesTextEventsAndTheSerializerWritesResults() throws Exception {
    try (RecordedRegistry registry = new RecordedRegistry()) {
      registry.on("POST", "/subjects/in-value/versions", 200, "{\"id\":3}");
      registry.on("GET", "/schemas/ids/3", 200, schemaBody(TextEvent.getClassSchema()));
      registry.on("POST", "/subjects/entities-value/versions", 200, "{\"id\":4}");
      TopologyIo io = WireFormats.topologyIo(config(registry,
          Map.of("specific.avro.reader", "true")));
      RegistrySettings settings = RegistrySettings.from(Map.of("schema.registry.url",
          registry.url()));
      TextEvent event = TextEvent.newBuilder().setEventId("e-1").setText("hi").build();
      byte[] framed = new ConfluentAvroSerializer(new HttpSchemaRegistryClient(settings),
          settings, false).serialize("in", event);

      assertThat(io.input().decode(record(framed))).isEqualTo(event);
      Entities result = Entities.newBuilder().setEventId("e-1")
          .setModel(ModelInfo.newBuilder().setName("m").build()).build();
      byte[] written = io.output().serialize("entities", new OutputValue(result,
          new SourceRecordInfo("in", 0, 1, 0, null, framed)));
      assertThat(ConfluentWireFormat.schemaId(written)).isEqualTo(4);
    }
  }

  @Test
  void genericRecordsAreMappedByFieldPaths() throws Exception {
    Schema note = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"Note\",\"fields\":"
        + "[{\"name\":\"body\",\"type\":\"string\"}]}");
    try (RecordedRegistry registry = new RecordedRegistry()) {
      registry.on("POST", "/subjects/in-value/versions", 200, "{\"id\":5}");
      registry.on("GET", "/schemas/ids/5", 200, schemaBody(note));
      TopologyIo io = WireFormats.topologyIo(config(registry,
          Map.of(NlpStreamsConfig.INPUT_FIELD_TEXT, "body")));
      RegistrySettings settings = RegistrySettings.from(Map.of("schema.registry.url",
          registry.url()));
      GenericRecord value = new GenericData.Record(note);
      value.put("body", "Berlin is big.");
      byte[] framed = new ConfluentAvroSerializer(new HttpSchemaRegistryClient(settings),
          settings, false).serialize("in", value);

      TextEvent event = io.input().decode(record(framed));

      assertThat(event.getText()).isEqualTo("Berlin is big.");
      assertThat(event.getEventId()).isEqualTo("key-1");
    }
  }

  @Test
  void foreignExceptionsAreSortedIntoTransientAndDeadLetterReasons() {
    assertThat(PluggedSerdes.transientFailure(new SerializationException("Error retrieving"
        + " schema", new UncheckedIOException(new ConnectException("refused"))))).isNotNull();
    assertThat(PluggedSerdes.transientFailure(new SerializationException(
        "Internal Server Error; error code: 50001"))).isNotNull();
    SerializationException notFound =
        new SerializationException("Schema not found; error code: 40403");
    assertThat(PluggedSerdes.transientFailure(notFound)).isNull();
    assertThat(PluggedSerdes.reasonFor(notFound)).isEqualTo(ReasonCode.UNKNOWN_SCHEMA);
    assertThat(PluggedSerdes.reasonFor(new SerializationException("Unknown magic byte!")))
        .isEqualTo(ReasonCode.MALFORMED_PAYLOAD);
  }

  @Test
  void throttlingAndTimeoutsAreTransientAndRefusedCredentialsStopTheThread() {
    // Confluent Cloud throttles with 429; a gateway times out with 408.
    for (String message : new String[] {"Too Many Requests; error code: 429",
        "Rate limit exceeded; error code: 42901", "Request Timeout; error code: 408"}) {
      assertThat(PluggedSerdes.transientFailure(new SerializationException("Error retrieving"
          + " Avro schema", new RuntimeException(message)))).as(message).isNotNull();
    }
    // An expired key refuses every record alike: not the record's fault, so not a dead letter.
    for (String message : new String[] {"Unauthorized; error code: 401",
        "User is denied operation Read on Subject: in-value; error code: 40301"}) {
      SerializationException refused = new SerializationException("Error retrieving Avro"
          + " schema", new RuntimeException(message));
      assertThat(PluggedSerdes.transientFailure(refused)).as(message).isNull();
      assertThat(PluggedSerdes.accessFailure(refused)).as(message).isNotNull()
          .isNotInstanceOf(PayloadException.class)
          .hasMessageContaining("basic.auth.user.info");
    }
    SerializationException notFound =
        new SerializationException("Schema not found; error code: 40403");
    assertThat(PluggedSerdes.accessFailure(notFound)).isNull();
    assertThat(PluggedSerdes.transientFailure(notFound)).isNull();
  }

  @Test
  void withBothSidesPluggedInOurRegistrySettingsAreNotRead() throws Exception {
    // SASL_INHERIT is Confluent's and refused by our client: it must not matter when their
    // serdes do all the work.
    TopologyIo io = WireFormats.topologyIo(NlpStreamsConfig.of(Map.of(
        "schema.registry.url", "http://registry:8081",
        "basic.auth.credentials.source", "SASL_INHERIT",
        NlpStreamsConfig.SERDE_VALUE_DESERIALIZER, StringDeserializer.class.getName(),
        NlpStreamsConfig.SERDE_VALUE_SERIALIZER, StringSerializer.class.getName())));

    // A String is no record: its text field is missing.
    assertThatThrownBy(() -> io.input().decode(record("hello".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOfSatisfying(PayloadException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.MISSING_TEXT));
  }

  @Test
  void aClassThatIsNotThereIsAConfigurationError() throws Exception {
    try (RecordedRegistry registry = new RecordedRegistry()) {
      assertThatThrownBy(() -> WireFormats.topologyIo(config(registry, Map.of(
          NlpStreamsConfig.SERDE_VALUE_DESERIALIZER,
          "io.confluent.kafka.serializers.KafkaAvroDeserializer"))))
          .isInstanceOf(ConfigException.class).hasMessageContaining("class path");
    }
  }
}
