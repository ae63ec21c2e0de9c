package dev.nlpstreams.app;

import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.avro.DeadLetter;
import dev.nlpstreams.schema.avro.Entities;
import dev.nlpstreams.schema.avro.Entity;
import dev.nlpstreams.schema.avro.Summary;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.Translation;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
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
 * produces sample events for every configured task plus one corrupt record, prints entities,
 * translations, summaries and dead letters as they arrive, and exits.
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
      out.printf("Processor running on %s (tasks %s: %s) after %.1f s%n%n",
          app.bootstrapServers(), config.tasks(), app.modelSummary(),
          (System.nanoTime() - started) / 1e9);
      List<SampleEvents.Sample> samples = SampleEvents.samples(config.tasks());
      produce(app.bootstrapServers(), config.inputTopic(), samples);
      return consume(app.bootstrapServers(), config, samples, out, timeout);
    }
  }

  private static void produce(String bootstrap, String topic, List<SampleEvents.Sample> samples)
      throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (SampleEvents.Sample sample : samples) {
        String id = sample.event().getEventId();
        producer.send(new ProducerRecord<>(topic, id, Codecs.TEXT_EVENT.encode(sample.event())))
            .get();
      }
      // One corrupt record, to show that bad input becomes a dead letter and nothing stops.
      producer.send(new ProducerRecord<>(topic, "demo-corrupt",
          "not avro at all".getBytes(StandardCharsets.UTF_8))).get();
    }
  }

  private static int consume(String bootstrap, NlpStreamsConfig config,
      List<SampleEvents.Sample> samples, PrintStream out, Duration timeout)
      throws PayloadException {
    Map<String, SampleEvents.Sample> byId = new LinkedHashMap<>();
    samples.forEach(s -> byId.put(s.event().getEventId(), s));
    int expectedResults = (int) samples.stream().filter(s -> !s.deadLetter()).count();
    int expectedDeadLetters = 1 + (samples.size() - expectedResults);
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "nlp-streams-demo-reader");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    int results = 0;
    int deadLetters = 0;
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(config.outputTopic(Task.NER), config.outputTopic(Task.TRANSLATE),
          config.outputTopic(Task.SUMMARIZE), config.deadLetterTopic()));
      while ((results < expectedResults || deadLetters < expectedDeadLetters)
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          String topic = record.topic();
          if (topic.equals(config.outputTopic(Task.NER))) {
            Entities result = Codecs.ENTITIES.decode(record.value());
            results++;
            printEntities(out, result, byId.get(result.getEventId()));
          } else if (topic.equals(config.outputTopic(Task.TRANSLATE))) {
            Translation result = Codecs.TRANSLATION.decode(record.value());
            results++;
            printTranslation(out, result, byId.get(result.getEventId()));
          } else if (topic.equals(config.outputTopic(Task.SUMMARIZE))) {
            Summary result = Codecs.SUMMARY.decode(record.value());
            results++;
            printSummary(out, result, byId.get(result.getEventId()));
          } else {
            DeadLetter letter = Codecs.DEAD_LETTER.decode(record.value());
            deadLetters++;
            out.printf("[dead letter] %s-%d@%d  event %s  reason %s: %s%n%n",
                letter.getSourceTopic(), letter.getSourcePartition(), letter.getSourceOffset(),
                letter.getEventId(), letter.getReason(), letter.getErrorMessage());
          }
        }
      }
    }
    boolean complete = results == expectedResults && deadLetters == expectedDeadLetters;
    out.printf("%s: %d of %d results, %d of %d dead letter(s).%n",
        complete ? "Done" : "Timed out", results, expectedResults, deadLetters,
        expectedDeadLetters);
    return complete ? 0 : 1;
  }

  private static void printEntities(PrintStream out, Entities result, SampleEvents.Sample sample) {
    out.printf("[%s] %s%n", result.getEventId(), sample == null ? "" : sample.event().getText());
    if (result.getEntities().isEmpty()) {
      out.println("    (no entities)");
    }
    for (Entity entity : result.getEntities()) {
      out.printf("    %-5s %-22s score %.2f  chars %d-%d%n", entity.getLabel(),
          '"' + entity.getText() + '"', entity.getScore(), entity.getStart(), entity.getEnd());
    }
    out.println();
  }

  private static void printTranslation(PrintStream out, Translation result,
      SampleEvents.Sample sample) {
    out.printf("[%s] (%s)%n    %s%n", result.getEventId(), sample == null ? "" : sample.shows(),
        indent(sample == null ? "" : sample.event().getText()));
    out.printf("    -> %s: %s%n", result.getTargetLanguage(), indent(result.getText()));
    out.printf("    model %s, source %s%s, %d chunk(s), %s%n%n", result.getModel().getName(),
        result.getSourceLanguage().isEmpty() ? "unknown" : result.getSourceLanguage(),
        result.getSourceLanguageDetected() ? " (detected)" : "", result.getChunkCount(),
        result.getDecoding().getNumBeams() == 1 ? "greedy"
            : result.getDecoding().getNumBeams() + " beams");
  }

  private static void printSummary(PrintStream out, Summary result, SampleEvents.Sample sample) {
    out.printf("[%s] (%s)%n    %s%n", result.getEventId(), sample == null ? "" : sample.shows(),
        indent(sample == null ? "" : sample.event().getText()));
    out.printf("    -> summary: %s%n", indent(result.getText()));
    out.printf("    model %s, %d chunk(s), %d round(s)%n%n", result.getModel().getName(),
        result.getChunkCount(), result.getSummaryRounds());
  }

  private static String indent(String text) {
    return text.replace("\n", "\n       ");
  }
}
