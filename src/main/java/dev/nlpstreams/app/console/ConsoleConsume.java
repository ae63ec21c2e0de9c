package dev.nlpstreams.app.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nlpstreams.config.NlpStreamsConfig;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code consume [--topic T] [--from-beginning] [--max N] [--timeout-ms MS]}: a topic's records
 * as JSON lines ({@code topic}, {@code partition}, {@code offset}, {@code key}, {@code value}),
 * values decoded in either framing; dead letters start with a one-line {@code dead_letter}
 * summary (reason and source coordinates). Reads without a consumer group: it commits nothing.
 */
public final class ConsoleConsume {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ConsoleConsume() {}

  public static int run(List<String> args, Function<List<String>, NlpStreamsConfig> load,
      PrintStream out, PrintStream err) {
    ConsoleArgs options = new ConsoleArgs(args);
    String topicOption = options.option("--topic", null);
    boolean fromBeginning = options.flag("--from-beginning");
    long max = Long.parseLong(options.option("--max", String.valueOf(Long.MAX_VALUE)));
    long timeoutMs = Long.parseLong(options.option("--timeout-ms", String.valueOf(Long.MAX_VALUE)));
    NlpStreamsConfig config = load.apply(options.rest());
    String topic = topicOption != null ? topicOption : config.deadLetterTopic();
    if (config.bootstrapServers() == null) {
      err.println("consume needs bootstrap.servers (--set bootstrap.servers=host:9092)");
      return 2;
    }
    ConsoleCodec codec = new ConsoleCodec(config);
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    long printed = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30))
          .stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      if (fromBeginning) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
      }
      long idleSince = System.nanoTime();
      while (printed < max
          && (System.nanoTime() - idleSince) / 1_000_000 < timeoutMs) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          idleSince = System.nanoTime();
          ObjectNode line = JSON.createObjectNode()
              .put("topic", record.topic()).put("partition", record.partition())
              .put("offset", record.offset())
              .put("key", record.key() == null ? null
                  : new String(record.key(), StandardCharsets.UTF_8));
          line.set("value", codec.decode(record.value()));
          out.println(line);
          if (++printed >= max) {
            break;
          }
        }
      }
    }
    return 0;
  }
}
