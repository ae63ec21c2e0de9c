package dev.nlpstreams.app;

import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.avro.DeadLetter;
import dev.nlpstreams.schema.avro.Entities;
import dev.nlpstreams.schema.avro.Entity;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The embedded demo: starts the processor (with its own broker unless bootstrap.servers is set),
 * produces the sample sentences and one corrupt record, prints the entities and the dead letter
 * as they arrive, and exits.
 */
final class Demo {

  private Demo() {}

  static int run(NlpStreamsConfig config, PrintStream out, Duration timeout) throws Exception {
    long started = System.nanoTime();
    out.println("nlp-streams demo: starting a Kafka broker and the processor...");
    try (NlpStreamsApp app = NlpStreamsApp.start(config)) {
      if (!app.awaitRunning(Duration.ofSeconds(60))) {
        out.println("The processor did not reach RUNNING (state " + app.state() + ").");
        return 1;
      }
      out.printf("Processor running on %s with model %s (%s) after %.1f s%n%n",
          app.bootstrapServers(), app.recognizer().identity().name(),
          app.recognizer().identity().device(), (System.nanoTime() - started) / 1e9);
      Map<String, String> sent = produce(app.bootstrapServers(), config.inputTopic());
      return consume(app.bootstrapServers(), config, sent, out, timeout);
    }
  }

  private static Map<String, String> produce(String bootstrap, String topic) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    Map<String, String> sent = new TreeMap<>();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < SampleEvents.SENTENCES.size(); i++) {
        String id = "demo-" + (i + 1);
        String text = SampleEvents.SENTENCES.get(i);
        sent.put(id, text);
        producer.send(new ProducerRecord<>(topic, id, SampleEvents.encoded(id, text))).get();
      }
      // One corrupt record, to show that bad input becomes a dead letter and nothing stops.
      producer.send(new ProducerRecord<>(topic, "demo-corrupt",
          "not avro at all".getBytes(StandardCharsets.UTF_8))).get();
    }
    return sent;
  }

  private static int consume(String bootstrap, NlpStreamsConfig config, Map<String, String> sent,
      PrintStream out, Duration timeout) throws PayloadException {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "nlp-streams-demo-reader");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    int entityResults = 0;
    int deadLetters = 0;
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(config.entitiesTopic(), config.deadLetterTopic()));
      while ((entityResults < sent.size() || deadLetters < 1) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.topic().equals(config.entitiesTopic())) {
            Entities result = Codecs.ENTITIES.decode(record.value());
            entityResults++;
            printEntities(out, result, sent.get(result.getEventId()));
          } else {
            DeadLetter letter = Codecs.DEAD_LETTER.decode(record.value());
            deadLetters++;
            out.printf("[dead letter] %s-%d@%d  reason %s: %s%n%n", letter.getSourceTopic(),
                letter.getSourcePartition(), letter.getSourceOffset(), letter.getReason(),
                letter.getErrorMessage());
          }
        }
      }
    }
    boolean complete = entityResults == sent.size() && deadLetters == 1;
    out.printf("%s: %d of %d events tagged, %d dead letter(s).%n",
        complete ? "Done" : "Timed out", entityResults, sent.size(), deadLetters);
    return complete ? 0 : 1;
  }

  private static void printEntities(PrintStream out, Entities result, String text) {
    out.printf("[%s] %s%n", result.getEventId(), text);
    if (result.getEntities().isEmpty()) {
      out.println("    (no entities)");
    }
    for (Entity entity : result.getEntities()) {
      out.printf("    %-5s %-22s score %.2f  chars %d-%d%n", entity.getLabel(),
          '"' + entity.getText() + '"', entity.getScore(), entity.getStart(), entity.getEnd());
    }
    out.println();
  }
}
