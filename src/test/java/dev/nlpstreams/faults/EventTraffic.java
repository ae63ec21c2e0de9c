package dev.nlpstreams.faults;

import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TaskOptions;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.avro.TranslationOptions;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A producer of uniquely identified events, separate from the processor: idempotent and acks=all,
 * so that every event it reports as sent is on the input topic exactly once.
 */
final class EventTraffic implements AutoCloseable {

  private static final List<String> SENTENCES = List.of(
      "Angela Merkel met Tim Cook in Berlin.",
      "Barack Obama visited Paris with Michelle Obama last spring.",
      "The committee in Geneva approved the plan of Maria Garcia.",
      "Elon Musk and Sundar Pichai spoke in London about the future of Google.",
      "Nothing happened today.",
      "John Smith flew from Tokyo to Madrid on Monday.");

  static final List<String> TRANSLATION_SENTENCES = List.of(
      "the young woman buys a red umbrella.", "my old cat sleeps, because the dog runs.",
      "the teacher sees a small bird today.", "the king paints a sunflower.",
      "the queen reads a letter.", "the child laughs.");

  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;

  EventTraffic(String bootstrap, String topic) {
    this(bootstrap, topic, Map.of());
  }

  EventTraffic(String bootstrap, String topic, Map<String, Object> extra) {
    Map<String, Object> props = new HashMap<>(extra);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    // One request in flight: a batch refused right after topic creation or a broker restart
    // (NOT_LEADER_OR_FOLLOWER) was seen to leave the batches behind it failing with
    // OUT_OF_ORDER_SEQUENCE_NUMBER forever. The test producer must only ever be slow, never stuck.
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    // A broker restart must not lose an event the test counts as sent.
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
    producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.topic = topic;
  }

  static TextEvent ner(String id, int n) {
    return TextEvent.newBuilder().setEventId(id).setText(SENTENCES.get(n % SENTENCES.size()))
        .setTasks(List.of(Task.NER)).build();
  }

  /** A translation of {@code sentences} sentences with the given search. */
  static TextEvent heavyTranslation(String id, int sentences, int beams, int maxNewTokens) {
    StringBuilder text = new StringBuilder();
    for (int s = 0; s < sentences; s++) {
      if (s > 0) {
        text.append(' ');
      }
      text.append(TRANSLATION_SENTENCES.get(s % TRANSLATION_SENTENCES.size()));
    }
    return TextEvent.newBuilder().setEventId(id).setText(text.toString()).setLanguage("en")
        .setTasks(List.of(Task.TRANSLATE))
        .setOptions(TaskOptions.newBuilder().setTranslation(TranslationOptions.newBuilder()
            .setTargetLanguage("de").setNumBeams(beams).setMaxNewTokens(maxNewTokens).build())
            .build())
        .build();
  }

  Future<RecordMetadata> send(TextEvent event) {
    return sendRaw(event.getEventId(), Codecs.TEXT_EVENT.encode(event), null);
  }

  Future<RecordMetadata> send(TextEvent event, int partition) {
    return sendRaw(event.getEventId(), Codecs.TEXT_EVENT.encode(event), partition);
  }

  Future<RecordMetadata> sendRaw(String key, byte[] value, Integer partition) {
    return producer.send(new ProducerRecord<>(topic, partition,
        key == null ? null : key.getBytes(StandardCharsets.UTF_8), value));
  }

  /** Sends {@code count} NER events {@code prefix-0..count-1} at about {@code perSecond}. */
  Set<String> sendNer(String prefix, int count, int perSecond) throws InterruptedException {
    Set<String> ids = new LinkedHashSet<>();
    long started = System.nanoTime();
    for (int n = 0; n < count; n++) {
      String id = prefix + "-" + n;
      send(ner(id, n));
      ids.add(id);
      long due = started + (long) n * 1_000_000_000L / perSecond;
      long wait = due - System.nanoTime();
      if (wait > 1_000_000) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
    }
    producer.flush();
    return ids;
  }

  /** Sends in a background thread; {@link Background#ids()} waits for the last send. */
  Background sendNerInBackground(String prefix, int count, int perSecond) {
    Background background = new Background(() -> sendNer(prefix, count, perSecond));
    background.thread.start();
    return background;
  }

  void flush() {
    producer.flush();
  }

  static <T> T await(Future<T> future) throws InterruptedException {
    try {
      return future.get(120, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Send failed: " + e, e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }

  /** Events being sent on a thread of their own. */
  static final class Background {
    interface Sender {
      Set<String> send() throws InterruptedException;
    }

    private final Thread thread;
    private volatile Set<String> ids;
    private volatile Exception failure;

    private Background(Sender sender) {
      thread = new Thread(() -> {
        try {
          ids = sender.send();
        } catch (Exception e) {
          failure = e;
        }
      }, "event-traffic");
    }

    Set<String> ids() throws InterruptedException {
      thread.join();
      if (failure != null) {
        throw new IllegalStateException("Sending failed", failure);
      }
      return ids;
    }
  }
}
