package dev.nlpstreams.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.schema.AvroCodec;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.OutputFraming;
import dev.nlpstreams.schema.avro.DeadLetter;
import dev.nlpstreams.schema.avro.Entities;
import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.confluent.ConfluentAvroReader;
import dev.nlpstreams.schema.confluent.ConfluentAvroSerializer;
import dev.nlpstreams.schema.mapping.RecordEnricher;
import dev.nlpstreams.schema.registry.HttpSchemaRegistryClient;
import dev.nlpstreams.schema.registry.RegistrySettings;
import dev.nlpstreams.streams.NlpTopology;
import dev.nlpstreams.testsupport.ApicurioRegistry;
import dev.nlpstreams.testsupport.SharedKafkaBroker;
import dev.nlpstreams.testsupport.SharedSchemaRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor with a real Apicurio Registry over HTTP and a real KRaft broker: Confluent-framed
 * input, Confluent-framed output read back through the registry, exactly one dead letter per
 * unreadable record, and a registry outage that loses nothing.
 */
class SchemaRegistryIT {

  private static final int PARTITIONS = 3;
  @TempDir
  Path stateDir;
  private String input;
  private String entitiesTopic;
  private String deadLetterTopic;
  private NlpStreamsApp app;
  private ApicurioRegistry privateRegistry;

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    if (privateRegistry != null) {
      privateRegistry.close();
    }
  }

  private void start(String registryUrl, Map<String, String> extra) throws Exception {
    List<String> topics = SharedKafkaBroker.createTopics(PARTITIONS, "in", "entities", "dlq");
    input = topics.get(0);
    entitiesTopic = topics.get(1);
    deadLetterTopic = topics.get(2);
    Map<String, String> settings = new HashMap<>();
    settings.put("bootstrap.servers", SharedKafkaBroker.bootstrapServers());
    settings.put("application.id", SharedKafkaBroker.uniqueTopicName("app"));
    settings.put("state.dir", stateDir.toString());
    settings.put("commit.interval.ms", "100");
    if (registryUrl != null) {
      settings.put("schema.registry.url", registryUrl);
    }
    settings.put(NlpStreamsConfig.INPUT_TOPIC, input);
    settings.put(NlpStreamsConfig.ENTITIES_TOPIC, entitiesTopic);
    settings.put(NlpStreamsConfig.DEAD_LETTER_TOPIC, deadLetterTopic);
    settings.put(NlpStreamsConfig.BATCH_MAX_WAIT_MS, "50");
    settings.put(NlpStreamsConfig.BATCH_MAX_RECORDS, "8");
    settings.put(NlpStreamsConfig.TASKS, "ner");
    settings.putAll(extra);
    app = NlpStreamsApp.start(NlpStreamsConfig.of(settings));
    assertThat(app.awaitRunning(Duration.ofSeconds(90))).isTrue();
  }

  private static RegistrySettings registrySettings(String url) {
    return RegistrySettings.from(Map.of("schema.registry.url", url));
  }

  private static TextEvent event(String id, int i) {
    return TextEvent.newBuilder().setEventId(id)
        .setText(SampleEvents.SENTENCES.get(i % SampleEvents.SENTENCES.size())).build();
  }

  private KafkaProducer<String, byte[]> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
  }

  private List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected,
      Duration timeout) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, SharedKafkaBroker.uniqueTopicName("reader"));
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
      // A little longer, to catch anything produced beyond what was expected.
      long settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() < settle) {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
    }
    return records;
  }

  @Test
  void confluentFramedEventsAreProcessedAndEachUnreadableRecordIsOneDeadLetter()
      throws Exception {
    String registryUrl = SharedSchemaRegistry.url();
    start(registryUrl, Map.of());
    RegistrySettings settings = registrySettings(registryUrl);
    HttpSchemaRegistryClient producerRegistry = new HttpSchemaRegistryClient(settings);
    ConfluentAvroSerializer serializer =
        new ConfluentAvroSerializer(producerRegistry, settings, false);

    Set<String> expectedIds = new HashSet<>();
    RecordMetadata malformed;
    RecordMetadata unknown;
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (int i = 0; i < 20; i++) {
        String id = "framed-" + i;
        expectedIds.add(id);
        producer.send(new ProducerRecord<>(input, "k" + i, serializer.serialize(input,
            event(id, i))));
      }
      // The other framing on the same topic.
      expectedIds.add("single-object-0");
      producer.send(new ProducerRecord<>(input, "k-so",
          Codecs.TEXT_EVENT.encode(event("single-object-0", 3))));
      malformed = producer.send(new ProducerRecord<>(input, "k-bad",
          "not avro at all".getBytes(StandardCharsets.UTF_8))).get();
      byte[] body = serializer.serialize(input, event("never", 1));
      byte[] unknownId = ByteBuffer.allocate(body.length).put(body).putInt(1, 987_654_321)
          .array();
      unknown = producer.send(new ProducerRecord<>(input, "k-unknown", unknownId)).get();
      for (int i = 20; i < 30; i++) {
        String id = "framed-" + i;
        expectedIds.add(id);
        producer.send(new ProducerRecord<>(input, "k" + i, serializer.serialize(input,
            event(id, i))));
      }
    }

    // A consumer with our deserializer and its own registry client reads the results.
    ConfluentAvroReader consumerReader =
        new ConfluentAvroReader(new HttpSchemaRegistryClient(settings));
    List<ConsumerRecord<byte[], byte[]>> out =
        read(entitiesTopic, expectedIds.size(), Duration.ofSeconds(120));
    Set<String> seen = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> record : out) {
      assertThat(record.value()[0]).as("Confluent magic byte").isZero();
      Entities entities = (Entities) consumerReader.read(record.value(),
          Entities.getClassSchema(), true);
      assertThat(new String(record.key(), StandardCharsets.UTF_8))
          .isEqualTo(entities.getEventId());
      seen.add(entities.getEventId());
    }
    assertThat(seen).isEqualTo(expectedIds);
    assertThat(out).hasSize(expectedIds.size());

    List<ConsumerRecord<byte[], byte[]>> dead = read(deadLetterTopic, 2, Duration.ofSeconds(60));
    assertThat(dead).hasSize(2);
    Map<ReasonCode, DeadLetter> byReason = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : dead) {
      DeadLetter letter = (DeadLetter) consumerReader.read(record.value(),
          DeadLetter.getClassSchema(), true);
      byReason.put(letter.getReason(), letter);
    }
    assertThat(byReason).containsOnlyKeys(ReasonCode.MALFORMED_PAYLOAD, ReasonCode.UNKNOWN_SCHEMA);
    assertCoordinates(byReason.get(ReasonCode.MALFORMED_PAYLOAD), malformed);
    assertCoordinates(byReason.get(ReasonCode.UNKNOWN_SCHEMA), unknown);
    assertThat(byReason.get(ReasonCode.UNKNOWN_SCHEMA).getErrorMessage())
        .contains("987654321");

    // The outputs' schemas were registered under Confluent's default subjects.
    assertThat(producerRegistry.latest(entitiesTopic + "-value").schema())
        .isEqualTo(Entities.getClassSchema());
    assertThat(producerRegistry.latest(deadLetterTopic + "-value").schema())
        .isEqualTo(DeadLetter.getClassSchema());
    assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
  }

  @Test
  void singleObjectOutputWhileReadingConfluentInput() throws Exception {
    String registryUrl = SharedSchemaRegistry.url();
    start(registryUrl, Map.of(NlpStreamsConfig.OUTPUT_FRAMING, "single-object"));
    RegistrySettings settings = registrySettings(registryUrl);
    ConfluentAvroSerializer serializer =
        new ConfluentAvroSerializer(new HttpSchemaRegistryClient(settings), settings, false);
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (int i = 0; i < 5; i++) {
        producer.send(new ProducerRecord<>(input, "k" + i,
            serializer.serialize(input, event("e-" + i, i))));
      }
    }

    List<ConsumerRecord<byte[], byte[]>> out = read(entitiesTopic, 5, Duration.ofSeconds(120));
    Set<String> ids = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> record : out) {
      ids.add(Codecs.ENTITIES.decode(record.value()).getEventId());
    }
    assertThat(ids).containsExactlyInAnyOrder("e-0", "e-1", "e-2", "e-3", "e-4");
  }

  /** A user's schema (not ours): the text is nested and optional, the id in a sub-record. */
  private static final Schema REVIEW = new Schema.Parser().parse("{\"type\":\"record\","
      + "\"name\":\"Review\",\"namespace\":\"shop\",\"fields\":["
      + "{\"name\":\"meta\",\"type\":{\"type\":\"record\",\"name\":\"Meta\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"string\"}]}},"
      + "{\"name\":\"payload\",\"type\":{\"type\":\"record\",\"name\":\"Payload\","
      + "\"fields\":[{\"name\":\"body\",\"type\":[\"null\",\"string\"],\"default\":null},"
      + "{\"name\":\"lang\",\"type\":[\"null\",\"string\"],\"default\":null}]}}]}");

  private static GenericRecord review(String id, String body) {
    GenericRecord meta = new GenericData.Record(REVIEW.getField("meta").schema());
    meta.put("id", id);
    GenericRecord payload = new GenericData.Record(REVIEW.getField("payload").schema());
    payload.put("body", body);
    payload.put("lang", "en");
    GenericRecord review = new GenericData.Record(REVIEW);
    review.put("meta", meta);
    review.put("payload", payload);
    return review;
  }

  /** Settings for users' own events (the Review shape, in Avro or JSON) plus extra pairs. */
  private static Map<String, String> mapped(String... extra) {
    Map<String, String> settings = new HashMap<>(Map.of(NlpStreamsConfig.INPUT_FORMAT, "mapped",
        NlpStreamsConfig.INPUT_FIELD_TEXT, "payload.body",
        NlpStreamsConfig.INPUT_FIELD_EVENT_ID, "meta.id"));
    for (int i = 0; i < extra.length; i += 2) {
      settings.put(extra[i], extra[i + 1]);
    }
    return settings;
  }

  /** A Review as a plain JSON object. */
  private static byte[] jsonReview(String id) {
    return ("{\"meta\":{\"id\":\"" + id + "\"},\"payload\":{\"body\":"
        + "\"Angela Merkel met Tim Cook in Berlin.\"}}").getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void usersOwnEventsInAvroAndJsonAreReadByFieldPaths() throws Exception {
    String registryUrl = SharedSchemaRegistry.url();
    start(registryUrl, mapped(NlpStreamsConfig.INPUT_FIELD_LANGUAGE, "payload.lang"));
    RegistrySettings settings = registrySettings(registryUrl);
    ConfluentAvroSerializer serializer =
        new ConfluentAvroSerializer(new HttpSchemaRegistryClient(settings), settings, false);

    Set<String> expectedIds = new HashSet<>();
    RecordMetadata nullBody;
    RecordMetadata noBody;
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (int i = 0; i < 6; i++) {
        expectedIds.add("avro-" + i);
        producer.send(new ProducerRecord<>(input, "k" + i, serializer.serialize(input,
            review("avro-" + i, SampleEvents.SENTENCES.get(i % SampleEvents.SENTENCES.size())))));
        expectedIds.add("json-" + i);
        producer.send(new ProducerRecord<>(input, "k" + i, jsonReview("json-" + i)));
      }
      nullBody = producer.send(new ProducerRecord<>(input, "k-null",
          serializer.serialize(input, review("avro-null", null)))).get();
      noBody = producer.send(new ProducerRecord<>(input, "k-none",
          "{\"meta\":{\"id\":\"json-none\"},\"payload\":{}}".getBytes(StandardCharsets.UTF_8)))
          .get();
    }

    assertThat(ids(read(entitiesTopic, expectedIds.size(), Duration.ofSeconds(120)), settings))
        .isEqualTo(expectedIds);
    ConfluentAvroReader reader = new ConfluentAvroReader(new HttpSchemaRegistryClient(settings));
    List<ConsumerRecord<byte[], byte[]>> dead = read(deadLetterTopic, 2, Duration.ofSeconds(60));
    assertThat(dead).hasSize(2);
    Set<String> sources = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> record : dead) {
      DeadLetter letter = (DeadLetter) reader.read(record.value(), DeadLetter.getClassSchema(),
          true);
      assertThat(letter.getReason()).isEqualTo(ReasonCode.MISSING_TEXT);
      assertThat(letter.getErrorMessage()).contains("'payload.body'");
      sources.add(letter.getSourcePartition() + "@" + letter.getSourceOffset());
    }
    assertThat(sources).containsExactlyInAnyOrder(nullBody.partition() + "@" + nullBody.offset(),
        noBody.partition() + "@" + noBody.offset());
    assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
  }

  /** A user's schema that carries NER options of its own. */
  private static final Schema TAGGED_NOTE = new Schema.Parser().parse("{\"type\":\"record\","
      + "\"name\":\"TaggedNote\",\"namespace\":\"crm\",\"fields\":["
      + "{\"name\":\"meta\",\"type\":{\"type\":\"record\",\"name\":\"NoteMeta\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"string\"},"
      + "{\"name\":\"strategy\",\"type\":[\"null\",\"string\"],\"default\":null},"
      + "{\"name\":\"model\",\"type\":[\"null\",\"int\"],\"default\":null}]}},"
      + "{\"name\":\"payload\",\"type\":{\"type\":\"record\",\"name\":\"NotePayload\","
      + "\"fields\":[{\"name\":\"body\",\"type\":\"string\"}]}}]}");

  /**
   * Per-task options mapped from users' events reach the model (the result names the
   * aggregation strategy the event asked for), and an option of the wrong type or an unknown
   * model is one dead letter with the reason and path, in Avro and in JSON.
   */
  @Test
  void perTaskOptionsFromUsersEventsReachTheModelOrAreDeadLettered() throws Exception {
    String registryUrl = SharedSchemaRegistry.url();
    start(registryUrl, mapped(NlpStreamsConfig.INPUT_FIELD_AGGREGATION_STRATEGY, "meta.strategy",
        NlpStreamsConfig.INPUT_FIELD_NER_MODEL, "meta.model"));
    RegistrySettings settings = registrySettings(registryUrl);
    ConfluentAvroSerializer serializer =
        new ConfluentAvroSerializer(new HttpSchemaRegistryClient(settings), settings, false);
    GenericRecord meta = new GenericData.Record(TAGGED_NOTE.getField("meta").schema());
    meta.put("id", "avro-first");
    meta.put("strategy", "first");
    GenericRecord payload = new GenericData.Record(TAGGED_NOTE.getField("payload").schema());
    payload.put("body", "Angela Merkel met Tim Cook in Berlin.");
    GenericRecord note = new GenericData.Record(TAGGED_NOTE);
    note.put("meta", meta);
    note.put("payload", payload);

    RecordMetadata avroWrongType;
    RecordMetadata jsonWrongType;
    RecordMetadata jsonUnknownModel;
    try (KafkaProducer<String, byte[]> producer = producer()) {
      producer.send(new ProducerRecord<>(input, "k1", serializer.serialize(input, note)));
      producer.send(new ProducerRecord<>(input, "k2", ("{\"meta\":{\"id\":\"json-none\","
          + "\"strategy\":\"none\"},\"payload\":{\"body\":\"Tim Cook visited Paris.\"}}")
          .getBytes(StandardCharsets.UTF_8)));
      meta.put("id", "avro-bad");
      meta.put("model", 3);
      avroWrongType = producer.send(new ProducerRecord<>(input, "k3",
          serializer.serialize(input, note))).get();
      jsonWrongType = producer.send(new ProducerRecord<>(input, "k4", ("{\"meta\":{\"id\":"
          + "\"json-bad\",\"strategy\":5},\"payload\":{\"body\":\"Hi Berlin.\"}}")
          .getBytes(StandardCharsets.UTF_8))).get();
      jsonUnknownModel = producer.send(new ProducerRecord<>(input, "k5", ("{\"meta\":{\"id\":"
          + "\"json-model\",\"model\":\"no-such-model\"},\"payload\":{\"body\":\"Hi.\"}}")
          .getBytes(StandardCharsets.UTF_8))).get();
    }

    ConfluentAvroReader reader = new ConfluentAvroReader(new HttpSchemaRegistryClient(settings));
    Map<String, String> strategies = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : read(entitiesTopic, 2, Duration.ofSeconds(120))) {
      Entities entities = (Entities) reader.read(record.value(), Entities.getClassSchema(), true);
      strategies.put(entities.getEventId(), entities.getAggregationStrategy());
    }
    assertThat(strategies).isEqualTo(Map.of("avro-first", "first", "json-none", "none"));

    Map<String, DeadLetter> dead = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : read(deadLetterTopic, 3, Duration.ofSeconds(60))) {
      DeadLetter letter = (DeadLetter) reader.read(record.value(), DeadLetter.getClassSchema(),
          true);
      dead.put(letter.getSourcePartition() + "@" + letter.getSourceOffset(), letter);
    }
    assertThat(dead).hasSize(3);
    DeadLetter avroBad = dead.get(avroWrongType.partition() + "@" + avroWrongType.offset());
    assertThat(avroBad.getReason()).isEqualTo(ReasonCode.INVALID_EVENT);
    assertThat(avroBad.getErrorMessage()).contains("Option field 'meta.model' (ner model) is not"
        + " a string (Integer) in this Avro record");
    DeadLetter jsonBad = dead.get(jsonWrongType.partition() + "@" + jsonWrongType.offset());
    assertThat(jsonBad.getReason()).isEqualTo(ReasonCode.INVALID_EVENT);
    assertThat(jsonBad.getErrorMessage()).contains("'meta.strategy' (ner aggregation_strategy)"
        + " is not a string (JSON number) in this JSON object");
    DeadLetter unknownModel = dead.get(jsonUnknownModel.partition() + "@"
        + jsonUnknownModel.offset());
    assertThat(unknownModel.getReason()).isEqualTo(ReasonCode.UNSUPPORTED_OPTION);
    assertThat(unknownModel.getErrorMessage()).contains("no-such-model");
    assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
  }

  @Test
  void enrichedOutputIsTheInputRecordWithTheResultAddedInAvroAndJson() throws Exception {
    String registryUrl = SharedSchemaRegistry.url();
    start(registryUrl, mapped(NlpStreamsConfig.OUTPUT_MODE, "enriched"));
    RegistrySettings settings = registrySettings(registryUrl);
    ConfluentAvroSerializer serializer =
        new ConfluentAvroSerializer(new HttpSchemaRegistryClient(settings), settings, false);
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (int i = 0; i < 3; i++) {
        producer.send(new ProducerRecord<>(input, "k" + i, serializer.serialize(input,
            review("avro-" + i, "Angela Merkel met Tim Cook in Berlin."))));
        producer.send(new ProducerRecord<>(input, "k" + i, jsonReview("json-" + i)));
      }
    }

    ConfluentAvroReader reader = new ConfluentAvroReader(new HttpSchemaRegistryClient(settings));
    ObjectMapper json = new ObjectMapper();
    Set<String> avroIds = new HashSet<>();
    Set<String> jsonIds = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> record : read(entitiesTopic, 6, Duration.ofSeconds(120))) {
      if (record.value()[0] == 0) {
        GenericRecord enriched = (GenericRecord) reader.read(record.value(), null, false);
        assertThat(enriched.getSchema().getFullName()).isEqualTo("shop.Review");
        assertThat(((GenericRecord) enriched.get("payload")).get("body").toString())
            .startsWith("Angela Merkel");
        GenericRecord entities = (GenericRecord) enriched.get("nlp_entities");
        assertThat((List<?>) entities.get("entities")).isNotEmpty();
        avroIds.add(((GenericRecord) enriched.get("meta")).get("id").toString());
      } else {
        JsonNode enriched = json.readTree(record.value());
        assertThat(enriched.path("nlp_entities").path("entities").size()).isPositive();
        jsonIds.add(enriched.path("meta").path("id").asText());
      }
    }
    assertThat(avroIds).containsExactlyInAnyOrder("avro-0", "avro-1", "avro-2");
    assertThat(jsonIds).containsExactlyInAnyOrder("json-0", "json-1", "json-2");
    // The enriched schema was registered under the output topic's subject.
    assertThat(new HttpSchemaRegistryClient(settings).latest(entitiesTopic + "-value").schema()
        .getField("nlp_entities")).isNotNull();
  }

  @Test
  void withoutARegistryJsonEventsAndSingleObjectTextEventsAreEnrichedToo() throws Exception {
    start(null, mapped(NlpStreamsConfig.OUTPUT_MODE, "enriched"));
    TextEvent own = event("own-1", 0);
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (int i = 0; i < 3; i++) {
        producer.send(new ProducerRecord<>(input, "k" + i, jsonReview("json-" + i)));
      }
      producer.send(new ProducerRecord<>(input, "k-own", Codecs.TEXT_EVENT.encode(own)));
    }

    ObjectMapper json = new ObjectMapper();
    Set<String> ids = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> record : read(entitiesTopic, 4, Duration.ofSeconds(120))) {
      if (record.value()[0] == (byte) 0xC3) {
        // Our TextEvent plus nlp_entities, still in single-object encoding: TextEvent readers
        // that know the enriched schema's fingerprint read it; here it is enough that the
        // original fields come back.
        Schema enriched = new RecordEnricher(null, null, OutputFraming.SINGLE_OBJECT)
            .enrichedSchema(TextEvent.getClassSchema(), Entities.getClassSchema());
        TextEvent back = new AvroCodec<TextEvent>(TextEvent.getClassSchema())
            .acceptingWriterSchema(enriched).decode(record.value());
        ids.add(back.getEventId());
      } else {
        JsonNode value = json.readTree(record.value());
        assertThat(value.path("nlp_entities").path("entities").size()).isPositive();
        ids.add(value.path("meta").path("id").asText());
      }
    }
    assertThat(ids).containsExactlyInAnyOrder("json-0", "json-1", "json-2", "own-1");
  }

  /**
   * The registry goes away for 30 s while events with writer schemas the processor has never seen
   * keep arriving: they wait (stream thread replaced, records re-read), none is dead-lettered,
   * and all are processed once the registry is back.
   */
  @Test
  void aThirtySecondRegistryOutageLosesNothingAndDeadLettersNothing() throws Exception {
    privateRegistry = ApicurioRegistry.createPersistent().start();
    String registryUrl = privateRegistry.url();
    start(registryUrl, Map.of());
    RegistrySettings settings = registrySettings(registryUrl);
    HttpSchemaRegistryClient producerRegistry = new HttpSchemaRegistryClient(settings);
    ConfluentAvroSerializer serializer =
        new ConfluentAvroSerializer(producerRegistry, settings, false);

    // Writer schemas the processor has not seen yet: TextEvent's first fields under other
    // versions (each adds a field), registered before the outage; the producer caches their ids.
    List<Schema> variants = new ArrayList<>();
    for (int v = 0; v < 3; v++) {
      Schema variant = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"TextEvent\","
          + "\"namespace\":\"dev.nlpstreams.schema.avro\",\"fields\":[{\"name\":\"event_id\","
          + "\"type\":\"string\"},{\"name\":\"text\",\"type\":\"string\"},{\"name\":\"origin_" + v
          + "\",\"type\":\"string\",\"default\":\"\"}]}");
      variants.add(variant);
      producerRegistry.register(input + "-value", variant);
    }

    Set<String> expectedIds = new HashSet<>();
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (int i = 0; i < 10; i++) {
        expectedIds.add("before-" + i);
        producer.send(new ProducerRecord<>(input, "k" + i,
            serializer.serialize(input, event("before-" + i, i))));
      }
      producer.flush();
      // Warm: the first events are through before the registry goes.
      assertThat(ids(read(entitiesTopic, 10, Duration.ofSeconds(120)), settings))
          .containsAll(expectedIds);

      privateRegistry.stop();
      long outageStart = System.nanoTime();
      int n = 0;
      while (System.nanoTime() - outageStart < Duration.ofSeconds(30).toNanos()) {
        String id = "during-" + n;
        expectedIds.add(id);
        GenericRecord record = new GenericData.Record(variants.get(n % variants.size()));
        record.put("event_id", id);
        record.put("text", SampleEvents.SENTENCES.get(n % SampleEvents.SENTENCES.size()));
        record.put("origin_" + (n % variants.size()), "outage");
        producer.send(new ProducerRecord<>(input, "k" + n, serializer.serialize(input, record)));
        n++;
        Thread.sleep(500);
      }
      privateRegistry.start();
      for (int i = 0; i < 10; i++) {
        expectedIds.add("after-" + i);
        producer.send(new ProducerRecord<>(input, "k" + i,
            serializer.serialize(input, event("after-" + i, i))));
      }
    }

    // At-least-once: a replaced thread may repeat outputs; what matters is nothing is missing.
    List<ConsumerRecord<byte[], byte[]>> out =
        read(entitiesTopic, expectedIds.size(), Duration.ofSeconds(180));
    assertThat(ids(out, settings)).containsAll(expectedIds);
    assertThat(read(deadLetterTopic, 0, Duration.ofSeconds(1))).isEmpty();
    assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
  }

  /**
   * The registry goes away after the processor has read a user's events (their writer schema is
   * cached) but before it has registered the enriched output schema derived from it: the flush
   * that would write them fails on the registration, the stream thread is replaced with backoff
   * and the buffered records stay buffered. Nothing is written and nothing is dead-lettered during
   * the outage; once the registry is back, every record comes out enriched.
   */
  @Test
  void aRegistryOutageWhileRegisteringTheEnrichedSchemaLosesNothing() throws Exception {
    privateRegistry = ApicurioRegistry.createPersistent().start();
    String registryUrl = privateRegistry.url();
    String applicationId = SharedKafkaBroker.uniqueTopicName("app");
    // Flushes wait 20 s for more records: the window in which the registry is stopped.
    start(registryUrl, mapped(NlpStreamsConfig.OUTPUT_MODE, "enriched",
        "application.id", applicationId,
        NlpStreamsConfig.BATCH_MAX_WAIT_MS, "20000",
        NlpStreamsConfig.BATCH_MAX_RECORDS, "100"));
    RegistrySettings settings = registrySettings(registryUrl);
    ConfluentAvroSerializer serializer =
        new ConfluentAvroSerializer(new HttpSchemaRegistryClient(settings), settings, false);

    Set<String> expectedIds = new HashSet<>();
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (int i = 0; i < 6; i++) {
        expectedIds.add("before-" + i);
        producer.send(new ProducerRecord<>(input, 0, "k" + i, serializer.serialize(input,
            review("before-" + i, "Angela Merkel met Tim Cook in Berlin."))));
      }
      producer.flush();
      // Read and buffered (so the writer schema is cached), not yet flushed: the buffer's
      // changelog holds all six.
      String changelog = applicationId + "-" + NlpTopology.NER_BUFFER_STORE + "-changelog";
      assertThat(read(changelog, 6, Duration.ofSeconds(60))).hasSizeGreaterThanOrEqualTo(6);

      privateRegistry.stop();
      long outageStart = System.nanoTime();
      // Events of the cached writer schema keep being accepted during the outage.
      for (int i = 0; i < 3; i++) {
        expectedIds.add("during-" + i);
        producer.send(new ProducerRecord<>(input, 0, "d" + i, serializer.serialize(input,
            review("during-" + i, "Tim Cook visited Paris."))));
      }
      producer.flush();
      Thread.sleep(Math.max(0, Duration.ofSeconds(30).toNanos()
          - (System.nanoTime() - outageStart)) / 1_000_000);
      // The flush came due at 20 s and could not register the output schema: nothing written.
      assertThat(read(entitiesTopic, 0, Duration.ofSeconds(1))).isEmpty();
      assertThat(read(deadLetterTopic, 0, Duration.ofSeconds(1))).isEmpty();
      privateRegistry.start();
    }

    ConfluentAvroReader reader = new ConfluentAvroReader(new HttpSchemaRegistryClient(settings));
    Set<String> enrichedIds = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> record
        : read(entitiesTopic, expectedIds.size(), Duration.ofSeconds(180))) {
      GenericRecord enriched = (GenericRecord) reader.read(record.value(), null, false);
      assertThat(enriched.getSchema().getField("nlp_entities")).isNotNull();
      assertThat((List<?>) ((GenericRecord) enriched.get("nlp_entities")).get("entities"))
          .isNotEmpty();
      enrichedIds.add(((GenericRecord) enriched.get("meta")).get("id").toString());
    }
    // At-least-once: a replaced thread may repeat outputs; what matters is nothing is missing.
    assertThat(enrichedIds).containsAll(expectedIds);
    assertThat(read(deadLetterTopic, 0, Duration.ofSeconds(1))).isEmpty();
    assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
  }

  private static Set<String> ids(List<ConsumerRecord<byte[], byte[]>> records,
      RegistrySettings settings) throws Exception {
    ConfluentAvroReader reader = new ConfluentAvroReader(new HttpSchemaRegistryClient(settings));
    Set<String> ids = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      ids.add(((Entities) reader.read(record.value(), Entities.getClassSchema(), true))
          .getEventId());
    }
    return ids;
  }

  private static void assertCoordinates(DeadLetter letter, RecordMetadata source) {
    assertThat(letter.getSourceTopic()).isEqualTo(source.topic());
    assertThat(letter.getSourcePartition()).isEqualTo(source.partition());
    assertThat(letter.getSourceOffset()).isEqualTo(source.offset());
  }
}
