package dev.nlpstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.schema.AvroCodec;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.avro.DeadLetter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/** What the TopologyTestDriver tests share: the driver and reading the output contracts back. */
final class TopologyTests {

  /** Wall-clock start of every driver, so buffer timings are comparable between tests. */
  static final Instant START = Instant.ofEpochMilli(1_000_000);

  private TopologyTests() {}

  static TopologyTestDriver driver(Topology topology) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test-app");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    return new TopologyTestDriver(topology, props, START);
  }

  /** An output topic keyed by event id. */
  static TestOutputTopic<String, byte[]> keyedOutput(TopologyTestDriver driver, String topic) {
    return driver.createOutputTopic(topic, new StringDeserializer(), new ByteArrayDeserializer());
  }

  static TestOutputTopic<byte[], byte[]> deadLetterOutput(TopologyTestDriver driver,
      String topic) {
    return driver.createOutputTopic(topic, new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  /** Decodes every record, checking that each is keyed by its own event id. */
  static <T extends SpecificRecord> List<T> readKeyed(TestOutputTopic<String, byte[]> topic,
      AvroCodec<T> codec, Function<T, String> eventId) throws PayloadException {
    List<T> out = new ArrayList<>();
    for (KeyValue<String, byte[]> kv : topic.readKeyValuesToList()) {
      T decoded = codec.decode(kv.value);
      assertThat(kv.key).isEqualTo(eventId.apply(decoded));
      out.add(decoded);
    }
    return out;
  }

  static List<DeadLetter> readDeadLetters(TestOutputTopic<byte[], byte[]> topic)
      throws PayloadException {
    List<DeadLetter> out = new ArrayList<>();
    for (byte[] value : topic.readValuesToList()) {
      out.add(Codecs.DEAD_LETTER.decode(value));
    }
    return out;
  }

  /**
   * How many records a buffer store holds, counted: the stores are cached, and
   * approximateNumEntries() leaves out what the cache has not flushed yet.
   */
  static long entries(org.apache.kafka.streams.state.KeyValueStore<?, ?> store) {
    long entries = 0;
    try (var all = store.all()) {
      for (; all.hasNext(); all.next()) {
        entries++;
      }
    }
    return entries;
  }
}
