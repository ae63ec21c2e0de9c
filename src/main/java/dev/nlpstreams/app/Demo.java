package dev.nlpstreams.app;

import dev.nlpstreams.app.tasks.TaskDemo;
import dev.nlpstreams.app.tasks.TaskModule;
import dev.nlpstreams.app.tasks.TaskModules;
import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.avro.DeadLetter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
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
 * produces every configured task module's demo samples plus one corrupt record, prints each
 * result the way its module describes it, and the dead letters, as they arrive, and exits.
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
      List<TaskDemo.Sample> samples = SampleEvents.samples(config.tasks());
      produce(app.bootstrapServers(), config.inputTopic(), samples);
      return consume(app.bootstrapServers(), config, samples, out, timeout);
    }
  }

  private static void produce(String bootstrap, String topic, List<TaskDemo.Sample> samples)
      throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (TaskDemo.Sample sample : samples) {
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
      List<TaskDemo.Sample> samples, PrintStream out, Duration timeout)
      throws PayloadException {
    Map<String, TaskDemo.Sample> byId = new LinkedHashMap<>();
    samples.forEach(s -> byId.put(s.event().getEventId(), s));
    int expectedResults = (int) samples.stream().filter(s -> !s.deadLetter()).count();
    int expectedDeadLetters = 1 + (samples.size() - expectedResults);
    Map<String, TaskModule> moduleByTopic = new LinkedHashMap<>();
    for (TaskModule module : TaskModules.ALL) {
      if (config.tasks().contains(module.task())) {
        moduleByTopic.put(config.outputTopic(module.task()), module);
      }
    }
    List<String> topics = new ArrayList<>(moduleByTopic.keySet());
    topics.add(config.deadLetterTopic());
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "nlp-streams-demo-reader");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    int results = 0;
    int deadLetters = 0;
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(topics);
      while ((results < expectedResults || deadLetters < expectedDeadLetters)
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          TaskModule module = moduleByTopic.get(record.topic());
          if (module != null) {
            SpecificRecord result = module.outputCodec().decode(record.value());
            results++;
            out.print(module.demo().describe(result, byId.get(eventId(result))));
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

  /** Every output schema starts from its event's event_id (the outputs' shared convention). */
  private static String eventId(SpecificRecord result) {
    Object id = result.get(result.getSchema().getField("event_id").pos());
    return id == null ? null : id.toString();
  }
}
