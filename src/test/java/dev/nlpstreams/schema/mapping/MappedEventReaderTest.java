package dev.nlpstreams.schema.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.confluent.ConfluentAvroReader;
import dev.nlpstreams.schema.confluent.ConfluentAvroSerializer;
import dev.nlpstreams.schema.registry.HttpSchemaRegistryClient;
import dev.nlpstreams.schema.registry.RecordedRegistry;
import dev.nlpstreams.schema.registry.RegistrySettings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class MappedEventReaderTest {

  private static final FieldMapping MAPPING = FieldMapping.of("payload.body", "meta.id",
      "payload.lang", "meta.tasks", "meta.to", "");

  /** A user's schema with the text nested and optional. */
  private static final Schema REVIEW = new Schema.Parser().parse("{\"type\":\"record\","
      + "\"name\":\"Review\",\"namespace\":\"shop\",\"fields\":["
      + "{\"name\":\"meta\",\"type\":{\"type\":\"record\",\"name\":\"Meta\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"string\"},"
      + "{\"name\":\"tasks\",\"type\":{\"type\":\"array\",\"items\":\"string\"},\"default\":[]},"
      + "{\"name\":\"to\",\"type\":[\"null\",\"string\"],\"default\":null}]}},"
      + "{\"name\":\"payload\",\"type\":[\"null\",{\"type\":\"record\",\"name\":\"Payload\","
      + "\"fields\":[{\"name\":\"body\",\"type\":[\"null\",\"string\"],\"default\":null},"
      + "{\"name\":\"lang\",\"type\":[\"null\",\"string\"],\"default\":null}]}],"
      + "\"default\":null}]}");

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static final byte[] KEY = "the-key".getBytes(StandardCharsets.UTF_8);

  @Test
  void jsonByFieldPaths() throws Exception {
    MappedEventReader reader = new MappedEventReader(MAPPING, null);

    TextEvent event = reader.read(KEY, json("{\"meta\":{\"id\":\"r-1\",\"tasks\":[\"ner\","
        + "\"translate\"],\"to\":\"de\"},\"payload\":{\"body\":\"Hello Berlin\",\"lang\":\"en\"}}"));

    assertThat(event.getEventId()).isEqualTo("r-1");
    assertThat(event.getText()).isEqualTo("Hello Berlin");
    assertThat(event.getLanguage()).isEqualTo("en");
    assertThat(event.getTasks()).containsExactly(Task.NER, Task.TRANSLATE);
    assertThat(event.getOptions().getTranslation().getTargetLanguage()).isEqualTo("de");
  }

  @Test
  void theRecordKeyIsTheIdWhenNoIdPathIsSet() throws Exception {
    MappedEventReader reader = new MappedEventReader(FieldMapping.of("text", "", "", "", "", ""),
        null);

    TextEvent event = reader.read(KEY, json(" {\"text\":\"hi\",\"other\":1}"));

    assertThat(event.getEventId()).isEqualTo("the-key");
    assertThat(event.getTasks()).isEmpty();
    assertThat(event.getOptions()).isNull();
  }

  @Test
  void aMissingNullOrNonStringTextIsMissingTextWithThePath() {
    MappedEventReader reader = new MappedEventReader(MAPPING, null);

    assertMissingText(reader, "{\"meta\":{\"id\":\"x\"}}", "'payload.body' is missing");
    assertMissingText(reader, "{\"payload\":{\"body\":null}}", "'payload.body' is null");
    assertMissingText(reader, "{\"payload\":null}", "'payload.body' is missing");
    assertMissingText(reader, "{\"payload\":{\"body\":42}}",
        "'payload.body' is not a string (JSON number)");
  }

  @Test
  void unreadableValuesAreMalformed() {
    MappedEventReader reader = new MappedEventReader(MAPPING, null);

    assertReason(reader, json("{\"payload\":"), ReasonCode.MALFORMED_PAYLOAD, "Not valid JSON");
    assertReason(reader, json("plain text"), ReasonCode.MALFORMED_PAYLOAD, "70 6C 61 69");
    // Confluent framing without a registry.
    assertReason(reader, new byte[] {0, 0, 0, 0, 1, 2}, ReasonCode.UNKNOWN_SCHEMA,
        "no schema registry");
  }

  @Test
  void ourOwnTextEventIsStillAccepted() throws Exception {
    TextEvent own = TextEvent.newBuilder().setEventId("own").setText("t").build();
    assertThat(new MappedEventReader(MAPPING, null).read(KEY, Codecs.TEXT_EVENT.encode(own)))
        .isEqualTo(own);
  }

  @Test
  void avroRecordsOfAUsersSchemaWithTheWriterSchemaFromTheRegistry() throws Exception {
    try (RecordedRegistry registry = new RecordedRegistry()) {
      registry.on("POST", "/subjects/reviews-value/versions", 200, "{\"id\":8}");
      RegistrySettings settings = RegistrySettings.from(Map.of("schema.registry.url",
          registry.url()));
      HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(settings);
      ConfluentAvroSerializer serializer = new ConfluentAvroSerializer(client, settings, false);
      MappedEventReader reader = new MappedEventReader(MAPPING, new ConfluentAvroReader(client));

      GenericRecord meta = new GenericData.Record(REVIEW.getField("meta").schema());
      meta.put("id", "rev-7");
      meta.put("tasks", List.of("summarize"));
      GenericRecord payload = new GenericData.Record(
          REVIEW.getField("payload").schema().getTypes().get(1));
      payload.put("body", "A long review.");
      GenericRecord review = new GenericData.Record(REVIEW);
      review.put("meta", meta);
      review.put("payload", payload);

      TextEvent event = reader.read(KEY, serializer.serialize("reviews", review));
      assertThat(event.getEventId()).isEqualTo("rev-7");
      assertThat(event.getText()).isEqualTo("A long review.");
      assertThat(event.getLanguage()).isNull();
      assertThat(event.getTasks()).containsExactly(Task.SUMMARIZE);

      payload.put("body", null);
      assertThatThrownBy(() -> reader.read(KEY, serializer.serialize("reviews", review)))
          .isInstanceOfSatisfying(PayloadException.class,
              e -> assertThat(e.reason()).isEqualTo(ReasonCode.MISSING_TEXT))
          .hasMessageContaining("'payload.body' is null in this Avro record (schema id 8)");
    }
  }

  @Test
  void badPathsAreRefused() {
    assertThatThrownBy(() -> FieldPath.parse("payload..body"))
        .hasMessageContaining("payload.body");
    assertThatThrownBy(() -> FieldPath.parse(" ")).isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertMissingText(MappedEventReader reader, String value, String message) {
    assertReason(reader, json(value), ReasonCode.MISSING_TEXT, message);
  }

  private static void assertReason(MappedEventReader reader, byte[] value, ReasonCode reason,
      String message) {
    assertThatThrownBy(() -> reader.read(KEY, value))
        .isInstanceOfSatisfying(PayloadException.class,
            e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(message);
  }
}
