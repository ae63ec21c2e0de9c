package dev.nlpstreams.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nlpstreams.app.console.ConsoleConsume;
import dev.nlpstreams.app.console.ConsoleProduce;
import dev.nlpstreams.schema.avro.DeadLetter;
import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.schema.confluent.ConfluentAvroSerializer;
import dev.nlpstreams.schema.registry.HttpSchemaRegistryClient;
import dev.nlpstreams.schema.registry.RegistrySettings;
import dev.nlpstreams.testsupport.SharedKafkaBroker;
import dev.nlpstreams.testsupport.SharedSchemaRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

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
