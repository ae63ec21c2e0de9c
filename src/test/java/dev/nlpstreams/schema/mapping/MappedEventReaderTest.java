package dev.nlpstreams.schema.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.avro.NerOptions;
import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.schema.avro.SummaryOptions;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TaskOptions;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.avro.TranslationOptions;
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
      "payload.lang", "meta.tasks", Map.of(TaskOptionField.TRANSLATION_TARGET_LANGUAGE, "meta.to"));

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
    MappedEventReader reader = new MappedEventReader(FieldMapping.of("text", "", "", ""),
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
    // Two objects in one value, or text after the object: not one event, and not silently the
    // first.
    assertReason(reader, json("{\"payload\":{\"body\":\"a\"}}{\"payload\":{\"body\":\"b\"}}"),
        ReasonCode.MALFORMED_PAYLOAD, "Not valid JSON");
    assertReason(reader, json("{\"payload\":{\"body\":\"a\"}} xyz"),
        ReasonCode.MALFORMED_PAYLOAD, "Not valid JSON");
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

  /** Every per-task option of TextEvent, each at its own place in a user's event. */
  private static final Map<TaskOptionField, String> ALL_OPTIONS = Map.of(
      TaskOptionField.NER_AGGREGATION_STRATEGY, "opts.strategy",
      TaskOptionField.NER_MODEL, "opts.ner_model",
      TaskOptionField.TRANSLATION_TARGET_LANGUAGE, "opts.to",
      TaskOptionField.TRANSLATION_MAX_NEW_TOKENS, "opts.t_tokens",
      TaskOptionField.TRANSLATION_NUM_BEAMS, "opts.t_beams",
      TaskOptionField.TRANSLATION_MODEL, "opts.t_model",
      TaskOptionField.SUMMARY_MAX_NEW_TOKENS, "opts.s_tokens",
      TaskOptionField.SUMMARY_MIN_LENGTH, "opts.s_min",
      TaskOptionField.SUMMARY_NUM_BEAMS, "opts.s_beams",
      TaskOptionField.SUMMARY_MODEL, "opts.s_model");

  private static final FieldMapping WITH_OPTIONS = FieldMapping.of("body", "", "", "",
      ALL_OPTIONS);

  @Test
  void everyTaskOptionFromJson() throws Exception {
    MappedEventReader reader = new MappedEventReader(WITH_OPTIONS, null);

    TextEvent event = reader.read(KEY, json("{\"body\":\"Hi\",\"opts\":{\"strategy\":\"max\","
        + "\"ner_model\":\"ner-b\",\"to\":\"fr\",\"t_tokens\":40,\"t_beams\":3,"
        + "\"t_model\":\"opus\",\"s_tokens\":60,\"s_min\":5,\"s_beams\":2,"
        + "\"s_model\":\"bart\"}}"));

    assertThat(event.getOptions().getNer()).isEqualTo(NerOptions.newBuilder()
        .setAggregationStrategy("max").setModel("ner-b").build());
    assertThat(event.getOptions().getTranslation()).isEqualTo(TranslationOptions.newBuilder()
        .setTargetLanguage("fr").setMaxNewTokens(40).setNumBeams(3).setModel("opus").build());
    assertThat(event.getOptions().getSummary()).isEqualTo(SummaryOptions.newBuilder()
        .setMaxNewTokens(60).setMinLength(5).setNumBeams(2).setModel("bart").build());
  }

  @Test
  void onlyTheSectionsAnEventFillsAreSetAndNullsKeepTheDefaults() throws Exception {
    MappedEventReader reader = new MappedEventReader(WITH_OPTIONS, null);

    TextEvent event = reader.read(KEY, json("{\"body\":\"Hi\",\"opts\":{\"s_beams\":4,"
        + "\"s_min\":null,\"t_beams\":null}}"));

    assertThat(event.getOptions().getNer()).isNull();
    assertThat(event.getOptions().getTranslation()).isNull();
    assertThat(event.getOptions().getSummary()).isEqualTo(SummaryOptions.newBuilder()
        .setMaxNewTokens(null).setMinLength(null).setNumBeams(4).setModel(null).build());
    assertThat(reader.read(KEY, json("{\"body\":\"Hi\",\"opts\":{}}")).getOptions()).isNull();
  }

  @Test
  void anOptionOfTheWrongTypeIsAnInvalidEventNamingThePath() {
    MappedEventReader reader = new MappedEventReader(WITH_OPTIONS, null);

    assertReason(reader, json("{\"body\":\"Hi\",\"opts\":{\"t_beams\":\"4\"}}"),
        ReasonCode.INVALID_EVENT, "Option field 'opts.t_beams' (translation num_beams) is not an"
            + " int (JSON string) in this JSON object");
    assertReason(reader, json("{\"body\":\"Hi\",\"opts\":{\"s_min\":2.5}}"),
        ReasonCode.INVALID_EVENT, "'opts.s_min' (summary min_length) is not an int (JSON number)");
    assertReason(reader, json("{\"body\":\"Hi\",\"opts\":{\"s_tokens\":3000000000}}"),
        ReasonCode.INVALID_EVENT, "'opts.s_tokens' (summary max_new_tokens) is not an int");
    assertReason(reader, json("{\"body\":\"Hi\",\"opts\":{\"ner_model\":7}}"),
        ReasonCode.INVALID_EVENT, "'opts.ner_model' (ner model) is not a string (JSON number)");
    assertReason(reader, json("{\"body\":\"Hi\",\"opts\":{\"to\":[\"de\"]}}"),
        ReasonCode.INVALID_EVENT, "nlp.input.field.target.language");
  }

  /** A user's schema with options of its own types: ints, a long, an enum, a misplaced string. */
  private static final Schema TICKET = new Schema.Parser().parse("{\"type\":\"record\","
      + "\"name\":\"Ticket\",\"namespace\":\"support\",\"fields\":["
      + "{\"name\":\"body\",\"type\":\"string\"},"
      + "{\"name\":\"opts\",\"type\":{\"type\":\"record\",\"name\":\"Opts\",\"fields\":["
      + "{\"name\":\"strategy\",\"type\":{\"type\":\"enum\",\"name\":\"Strategy\","
      + "\"symbols\":[\"simple\",\"max\"]}},"
      + "{\"name\":\"t_beams\",\"type\":[\"null\",\"int\"],\"default\":null},"
      + "{\"name\":\"t_model\",\"type\":[\"null\",\"string\"],\"default\":null},"
      + "{\"name\":\"s_tokens\",\"type\":\"long\"},"
      + "{\"name\":\"s_min\",\"type\":[\"null\",\"string\"],\"default\":null}]}}]}");

  @Test
  void everyKindOfOptionFromAvroRecordsWithTheWriterSchemaFromTheRegistry() throws Exception {
    try (RecordedRegistry registry = new RecordedRegistry()) {
      registry.on("POST", "/subjects/tickets-value/versions", 200, "{\"id\":9}");
      RegistrySettings settings = RegistrySettings.from(Map.of("schema.registry.url",
          registry.url()));
      HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(settings);
      ConfluentAvroSerializer serializer = new ConfluentAvroSerializer(client, settings, false);
      MappedEventReader reader = new MappedEventReader(WITH_OPTIONS,
          new ConfluentAvroReader(client));

      Schema optsSchema = TICKET.getField("opts").schema();
      GenericRecord opts = new GenericData.Record(optsSchema);
      opts.put("strategy", new GenericData.EnumSymbol(optsSchema.getField("strategy").schema(),
          "max"));
      opts.put("t_beams", 5);
      opts.put("t_model", "opus-en-de");
      opts.put("s_tokens", 80L);
      GenericRecord ticket = new GenericData.Record(TICKET);
      ticket.put("body", "Printer on fire.");
      ticket.put("opts", opts);

      TextEvent event = reader.read(KEY, serializer.serialize("tickets", ticket));
      assertThat(event.getOptions().getNer().getAggregationStrategy()).isEqualTo("max");
      assertThat(event.getOptions().getNer().getModel()).isNull();
      assertThat(event.getOptions().getTranslation()).isEqualTo(TranslationOptions.newBuilder()
          .setTargetLanguage(null).setMaxNewTokens(null).setNumBeams(5).setModel("opus-en-de")
          .build());
      assertThat(event.getOptions().getSummary().getMaxNewTokens()).isEqualTo(80);
      assertThat(event.getOptions().getSummary().getMinLength()).isNull();

      opts.put("s_min", "12");
      assertReason(reader, serializer.serialize("tickets", ticket), ReasonCode.INVALID_EVENT,
          "Option field 'opts.s_min' (summary min_length) is not an int (Avro string) in this"
              + " Avro record (schema id 9)");
      opts.put("s_min", null);
      opts.put("s_tokens", 1L << 40);
      assertReason(reader, serializer.serialize("tickets", ticket), ReasonCode.INVALID_EVENT,
          "'opts.s_tokens' (summary max_new_tokens) is not an int (Long)");
    }
  }

  /** The enum must follow TextEvent's schema: a renamed option would otherwise be lost. */
  @Test
  void everyOptionNamesAFieldOfTextEventsTaskOptionsOfItsKind() {
    for (TaskOptionField option : TaskOptionField.values()) {
      Schema section = nonNull(TaskOptions.getClassSchema().getField(option.section()).schema());
      Schema.Field field = section.getField(option.field());
      assertThat(field).as(option.label()).isNotNull();
      assertThat(nonNull(field.schema()).getType()).as(option.label())
          .isEqualTo(option.kind() == TaskOptionField.Kind.INT ? Schema.Type.INT
              : Schema.Type.STRING);
    }
    // And no option of TextEvent is left without a path setting.
    int optionsInSchema = TaskOptions.getClassSchema().getFields().stream()
        .mapToInt(f -> nonNull(f.schema()).getFields().size()).sum();
    assertThat(TaskOptionField.values()).hasSize(optionsInSchema);
  }

  private static Schema nonNull(Schema union) {
    return union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst()
        .orElseThrow();
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
