package dev.nlpstreams.app.console;

import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.registry.RegistryException;
import dev.nlpstreams.schema.registry.RegistryUnavailableException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code produce [--topic T] [--value-schema-file F | --value-schema-latest]}: one JSON line from
 * standard input becomes one record. With {@code nlp.input.format=text-event} (the default) a
 * line holds TextEvent fields ({@code event_id}, {@code text}, {@code language}, {@code tasks},
 * ...) and is written as a TextEvent in the configured framing, keyed by its event id. With
 * {@code mapped} the line is written as it is (a JSON topic), or, given a schema file or the
 * value subject's latest version, as a record of that schema in Confluent framing.
 */
public final class ConsoleProduce {

  private ConsoleProduce() {}

  public static int run(List<String> args, Function<List<String>, NlpStreamsConfig> load,
      InputStream in, PrintStream out, PrintStream err) throws IOException, InterruptedException {
    ConsoleArgs options = new ConsoleArgs(args);
    String topicOption = options.option("--topic", null);
    String valueSchemaFile = options.option("--value-schema-file", null);
    boolean valueSchemaLatest = options.flag("--value-schema-latest");
    NlpStreamsConfig config = load.apply(options.rest());
    String topic = topicOption != null ? topicOption : config.inputTopic();
    if (config.bootstrapServers() == null) {
      err.println("produce needs bootstrap.servers (--set bootstrap.servers=host:9092)");
      return 2;
    }
    ConsoleCodec codec = new ConsoleCodec(config);
    if (valueSchemaFile != null && valueSchemaLatest) {
      err.println("give either --value-schema-file or --value-schema-latest, not both");
      return 2;
    }
    try {
      if (valueSchemaFile != null) {
        out.println("Writing JSON lines as "
            + codec.writeUserSchemaFromFile(Path.of(valueSchemaFile)));
      } else if (valueSchemaLatest) {
        out.println("Writing JSON lines as " + codec.writeUserSchemaLatest(topic));
      }
    } catch (IllegalArgumentException | IOException | RegistryException
        | RegistryUnavailableException e) {
      err.println("produce: " + e.getMessage());
      return 2;
    }
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    int sent = 0;
    int refused = 0;
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int number = 0;
      while ((line = reader.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          ConsoleCodec.Encoded encoded = codec.encode(topic, line);
          producer.send(new ProducerRecord<>(topic, encoded.key(), encoded.value())).get();
          sent++;
        } catch (PayloadException e) {
          refused++;
          err.println("line " + number + " not sent (" + e.reason() + "): " + e.getMessage());
        } catch (RegistryException | RegistryUnavailableException | SerializationException e) {
          // The registry's answer, not the line, is at fault: later lines would fail alike.
          err.println("line " + number + " not sent: " + e.getMessage());
          return 1;
        } catch (ExecutionException e) {
          err.println("line " + number + " not sent: " + e.getCause());
          return 1;
        }
      }
    }
    out.println("Sent " + sent + " record(s) to " + topic
        + (refused > 0 ? "; " + refused + " line(s) refused" : ""));
    return refused > 0 ? 1 : 0;
  }
}
