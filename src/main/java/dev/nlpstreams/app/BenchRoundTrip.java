package dev.nlpstreams.app;

import dev.nlpstreams.schema.AvroCodec;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.avro.DeadLetter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One benchmark pass through a running processor: produces a burst of events and waits until each
 * has its output record, timing from the first send to the last receipt. A dead letter for one of
 * the events ends the pass at once with its reason, instead of waiting out the deadline.
 *
 * @param <T> the output record type
 */
final class BenchRoundTrip<T extends SpecificRecord> implements AutoCloseable {

  /**
   * One pass.
   *
   * @param seconds from the first send to the receipt of the last output
   * @param latenciesMs produce-to-consume latency of every output (outputs keep the input's
   *     timestamp)
   * @param outputs the outputs by event id
   */
  record Pass<T>(double seconds, List<Long> latenciesMs, Map<String, T> outputs) {}

  private static final Duration PASS_DEADLINE = Duration.ofMinutes(30);

  private final KafkaProducer<String, byte[]> producer;
  private final KafkaConsumer<String, byte[]> consumer;
  private final String inputTopic;
  private final String outputTopic;
  private final String deadLetterTopic;
  private final AvroCodec<T> codec;
  private final Function<T, String> eventId;

  BenchRoundTrip(String bootstrap, String inputTopic, String outputTopic, String deadLetterTopic,
      AvroCodec<T> codec, Function<T, String> eventId) {
    this.inputTopic = inputTopic;
    this.outputTopic = outputTopic;
    this.deadLetterTopic = deadLetterTopic;
    this.codec = codec;
    this.eventId = eventId;
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "nlp-streams-bench-" + System.nanoTime());
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(outputTopic, deadLetterTopic));
    while (consumer.assignment().isEmpty()) {
      consumer.poll(Duration.ofMillis(100));
    }
  }

  /** Sends every event (id to encoded TextEvent, in order) and collects their outputs. */
  Pass<T> pass(Map<String, byte[]> events) throws PayloadException {
    return pass(events, 0);
  }

  /**
   * As {@link #pass(Map)}, sending at {@code eventsPerSecond} (evenly spaced; 0 sends the whole
   * burst at once): a latency test at a chosen load rather than a throughput test.
   */
  Pass<T> pass(Map<String, byte[]> events, double eventsPerSecond) throws PayloadException {
    Map<String, Boolean> pending = new HashMap<>();
    long start = System.nanoTime();
    java.util.Iterator<Map.Entry<String, byte[]>> toSend = events.entrySet().iterator();
    long sent = 0;
    List<Long> latencies = new ArrayList<>(events.size());
    Map<String, T> outputs = new LinkedHashMap<>();
    long deadline = System.nanoTime() + PASS_DEADLINE.toNanos();
    while ((toSend.hasNext() || !pending.isEmpty()) && System.nanoTime() < deadline) {
      long due = eventsPerSecond <= 0 ? Long.MAX_VALUE
          : (long) ((System.nanoTime() - start) / 1e9 * eventsPerSecond) + 1;
      boolean sentAny = false;
      while (toSend.hasNext() && sent < due) {
        Map.Entry<String, byte[]> event = toSend.next();
        pending.put(event.getKey(), Boolean.TRUE);
        producer.send(new ProducerRecord<>(inputTopic, event.getKey(), event.getValue()));
        sent++;
        sentAny = true;
      }
      if (sentAny) {
        producer.flush();
      }
      Duration wait = toSend.hasNext() && eventsPerSecond > 0 ? Duration.ofMillis(2)
          : Duration.ofMillis(50);
      for (ConsumerRecord<String, byte[]> record : consumer.poll(wait)) {
        if (record.topic().equals(deadLetterTopic)) {
          DeadLetter dead = Codecs.DEAD_LETTER.decode(record.value());
          if (dead.getEventId() != null && pending.containsKey(dead.getEventId())) {
            throw new IllegalStateException("Event " + dead.getEventId() + " was dead-lettered ("
                + dead.getReason() + "): " + dead.getErrorMessage());
          }
          continue;
        }
        if (!record.topic().equals(outputTopic)) {
          continue;
        }
        T output = codec.decode(record.value());
        String id = eventId.apply(output);
        if (pending.remove(id) != null) {
          latencies.add(System.currentTimeMillis() - record.timestamp());
          outputs.put(id, output);
        }
      }
    }
    if (!pending.isEmpty()) {
      throw new IllegalStateException(pending.size() + " events got no output on " + outputTopic
          + " within " + PASS_DEADLINE.toMinutes() + " minutes");
    }
    return new Pass<>((System.nanoTime() - start) / 1e9, latencies, outputs);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
