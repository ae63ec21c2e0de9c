package dev.nlpstreams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nlpstreams.app.console.ConsoleConsume;
import dev.nlpstreams.app.console.ConsoleProduce;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.avro.DeadLetter;
import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.confluent.ConfluentAvroSerializer;
import dev.nlpstreams.schema.confluent.ConfluentWireFormat;
import dev.nlpstreams.schema.registry.HttpSchemaRegistryClient;
import dev.nlpstreams.schema.registry.RegisteredSchema;
import dev.nlpstreams.schema.registry.RegistrySettings;
import dev.nlpstreams.streams.InputDecoder;
import dev.nlpstreams.streams.InputRecord;
import dev.nlpstreams.testsupport.SharedKafkaBroker;
import dev.nlpstreams.testsupport.SharedSchemaRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** produce and consume against the real broker and the real registry. */
class ConsoleToolsIT {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private List<String> settings(String topic) {
    return new ArrayList<>(List.of("--topic", topic,
        "--set", "bootstrap.servers=" + SharedKafkaBroker.bootstrapServers(),
        "--set", "schema.registry.url=" + SharedSchemaRegistry.url()));
  }

  private List<JsonNode> consume(String topic, int max) throws Exception {
    out.reset();
    List<String> args = settings(topic);
    args.addAll(List.of("--from-beginning", "--max", String.valueOf(max), "--timeout-ms",
        "30000"));
    assertThat(ConsoleConsume.run(args, Main::load, new PrintStream(out, true,
        StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        lines.add(new ObjectMapper().readTree(line));
      }
    }
    return lines;
  }

  @Test
  void jsonLinesInConfluentFramingRoundTrip() throws Exception {
    String topic = SharedKafkaBroker.createTopic("console-in", 1);
    String input = """
        {"event_id":"c-1","text":"Angela Merkel met Tim Cook.","tasks":["ner"],"language":"en"}
        {"event_id":"c-2","text":"Ein Satz.","options":{"translation":{"target_language":"en"}}}
        {"event_id":"c-3"}
        """;

    int code = ConsoleProduce.run(settings(topic), Main::load,
        new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).isEqualTo(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("Sent 2 record(s)")
        .contains("1 line(s) refused");
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("line 3 not sent (MISSING_TEXT)");

    List<JsonNode> lines = consume(topic, 2);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).path("key").asText()).isEqualTo("c-1");
    assertThat(lines.get(0).path("value").path("text").asText())
        .isEqualTo("Angela Merkel met Tim Cook.");
    assertThat(lines.get(0).path("value").path("tasks").get(0).asText()).isEqualTo("NER");
    assertThat(lines.get(1).path("value").path("options").path("translation")
        .path("target_language").asText()).isEqualTo("en");
  }

  /** A user's own event schema (not ours), with the text and options nested. */
  private static final Schema TICKET = new Schema.Parser().parse("""
      {"type":"record","name":"Ticket","namespace":"support","fields":[
        {"name":"meta","type":{"type":"record","name":"Meta","fields":[
          {"name":"id","type":"string"},
          {"name":"beams","type":["null","int"],"default":null}]}},
        {"name":"content","type":["null",{"type":"record","name":"Content","fields":[
          {"name":"body","type":["null","string"],"default":null}]}],"default":null}]}
      """);

  private List<String> mappedSettings(String topic) {
    List<String> args = settings(topic);
    args.addAll(List.of("--set", "nlp.input.format=mapped",
        "--set", "nlp.input.field.text=content.body",
        "--set", "nlp.input.field.event.id=meta.id",
        "--set", "nlp.input.field.translation.num.beams=meta.beams"));
    return args;
  }

  private int produce(List<String> args, String input) throws Exception {
    out.reset();
    err.reset();
    return ConsoleProduce.run(args, Main::load,
        new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  /** The raw records of a topic, as the processor receives them. */
  private static List<ConsumerRecord<byte[], byte[]>> records(String topic, int count) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props,
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (records.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  @Test
  void jsonLinesInAUsersSchemaFromTheRegistryAreReadByTheProcessor() throws Exception {
    String topic = SharedKafkaBroker.createTopic("console-user-latest", 1);
    RegistrySettings registry = RegistrySettings.from(Map.of("schema.registry.url",
        SharedSchemaRegistry.url()));
    HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(registry);
    int registeredId = client.register(topic + "-value", TICKET);
    List<String> args = mappedSettings(topic);
    args.add("--value-schema-latest");
    String input = """
        {"meta":{"id":"t-1","beams":2},"content":{"body":"Der Drucker brennt."}}
        {"meta":{"id":"t-2"},"content":{"bdy":"a typo"}}
        {"meta":{"id":"t-3","beams":"2"},"content":null}
        {"meta":{"id":"t-4"}}
        """;

    int code = produce(args, input);

    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("Writing JSON lines as support.Ticket (subject " + topic + "-value version 1,"
            + " id " + registeredId + ")")
        .contains("Sent 2 record(s)").contains("2 line(s) refused");
    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("line 2 not sent (MALFORMED_PAYLOAD): Does not fit schema support.Ticket:"
            + " field 'content.bdy' is not in support.Content")
        .contains("line 3 not sent (MALFORMED_PAYLOAD)").contains("field 'meta.beams'");

    List<ConsumerRecord<byte[], byte[]>> records = records(topic, 2);
    assertThat(records).hasSize(2);
    // Confluent framing with the id the registry gave the user's schema.
    assertThat(records).allSatisfy(r -> {
      assertThat(ConfluentWireFormat.looksFramed(r.value())).isTrue();
      assertThat(ConfluentWireFormat.schemaId(r.value())).isEqualTo(registeredId);
    });
    assertThat(new String(records.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("t-1");
    // The processor's own input decoder, configured as produce was, reads them back.
    InputDecoder decoder = WireFormats.topologyIo(Main.load(mappedSettings(topic).subList(2,
        mappedSettings(topic).size()))).input();
    TextEvent first = decoder.decode(inputRecord(records.get(0)));
    assertThat(first.getEventId()).isEqualTo("t-1");
    assertThat(first.getText()).isEqualTo("Der Drucker brennt.");
    assertThat(first.getOptions().getTranslation().getNumBeams()).isEqualTo(2);
    // The second had no text: produce sends what fits the schema; the processor dead-letters it.
    assertThatThrownBy(() -> decoder.decode(inputRecord(records.get(1))))
        .isInstanceOfSatisfying(PayloadException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.MISSING_TEXT));
    // And consume shows the user's record as JSON.
    List<JsonNode> lines = consume(topic, 2);
    assertThat(lines.get(0).path("value").path("content").path("body").asText())
        .isEqualTo("Der Drucker brennt.");
    assertThat(lines.get(1).path("value").path("meta").path("id").asText()).isEqualTo("t-4");
  }

  @Test
  void jsonLinesInAUsersSchemaFileAreRegisteredAndFramedWithItsId(@TempDir Path dir)
      throws Exception {
    String topic = SharedKafkaBroker.createTopic("console-user-file", 1);
    Path schemaFile = dir.resolve("ticket.avsc");
    Files.writeString(schemaFile, TICKET.toString(true));
    List<String> args = mappedSettings(topic);
    args.addAll(List.of("--value-schema-file", schemaFile.toString()));

    int code = produce(args, "{\"meta\":{\"id\":\"f-1\"},\"content\":{\"body\":\"Hi\"}}\n");

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    RegisteredSchema latest = new HttpSchemaRegistryClient(RegistrySettings.from(Map.of(
        "schema.registry.url", SharedSchemaRegistry.url()))).latest(topic + "-value");
    assertThat(latest.schema()).isEqualTo(TICKET);
    List<ConsumerRecord<byte[], byte[]>> records = records(topic, 1);
    assertThat(ConfluentWireFormat.schemaId(records.get(0).value())).isEqualTo(latest.id());
    assertThat(consume(topic, 1).get(0).path("value").path("content").path("body").asText())
        .isEqualTo("Hi");
  }

  @Test
  void aUserSchemaNeedsMappedInput() throws Exception {
    List<String> args = settings(SharedKafkaBroker.uniqueTopicName("console-user-refused"));
    args.add("--value-schema-latest");

    assertThat(produce(args, "")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("--value-schema-latest writes your own events in Confluent framing: it needs"
            + " nlp.input.format=mapped");
  }

  private static InputRecord inputRecord(ConsumerRecord<byte[], byte[]> record) {
    return new InputRecord(record.topic(), record.partition(), record.offset(),
        record.timestamp(), record.headers(), record.key(), record.value());
  }

  @Test
  void deadLettersShowReasonAndSourceCoordinates() throws Exception {
    String topic = SharedKafkaBroker.createTopic("console-dlq", 1);
    RegistrySettings registry = RegistrySettings.from(Map.of("schema.registry.url",
        SharedSchemaRegistry.url()));
    DeadLetter letter = DeadLetter.newBuilder().setSourceTopic("events").setSourcePartition(2)
        .setSourceOffset(41).setSourceTimestamp(Instant.ofEpochMilli(1))
        .setReason(ReasonCode.UNKNOWN_SCHEMA).setErrorMessage("Unknown schema id 7").build();
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, new ConfluentAvroSerializer(
          new HttpSchemaRegistryClient(registry), registry, false).serialize(topic, letter)))
          .get();
    }

    List<JsonNode> lines = consume(topic, 1);

    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).path("value").path("dead_letter").asText())
        .isEqualTo("UNKNOWN_SCHEMA at events-2@41: Unknown schema id 7");
  }
}
