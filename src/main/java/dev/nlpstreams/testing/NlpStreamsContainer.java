package dev.nlpstreams.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The nlp-streams processor image as a Testcontainers container, for integration tests of
 * applications that produce text events or consume its results.
 *
 * <pre>{@code
 * Network network = Network.newNetwork();
 * KafkaContainer kafka = new KafkaContainer(kafkaImage).withNetwork(network)
 *     .withListener("kafka:19092");                         // reachable from other containers
 * NlpStreamsContainer nlp = new NlpStreamsContainer(processorImage)
 *     .withKafka(network, "kafka:19092")
 *     .withTasks("ner")
 *     .dependsOn(kafka);
 * kafka.start();
 * try (NlpStreamsClient client = new NlpStreamsClient(kafka.getBootstrapServers())) {
 *   client.createTopics(3);                                 // before the processor starts
 *   nlp.start();                                            // returns once /health/ready is 200
 *   client.send(event);
 *   List<Entities> entities = client.awaitEntities(1, Duration.ofSeconds(60));
 * }
 * }</pre>
 *
 * <p>Settings are passed as {@code run --set key=value} arguments, so any {@code nlp.*} or Kafka
 * Streams key works ({@link #withSetting}). The container is ready when the admin endpoint's
 * {@code /health/ready} answers 200: models loaded and Kafka Streams RUNNING.
 */
public class NlpStreamsContainer extends GenericContainer<NlpStreamsContainer> {

  /** The admin endpoint's port inside the container (the image sets nlp.admin.port=8080). */
  public static final int ADMIN_PORT = 8080;
  /** Where {@link #withModelDirectory} puts models; refer to them as {@code /models/<name>}. */
  public static final String MODELS_PATH = "/models";

  private final Map<String, String> settings = new LinkedHashMap<>();

  public NlpStreamsContainer(String image) {
    this(DockerImageName.parse(image));
  }

  public NlpStreamsContainer(DockerImageName image) {
    super(image);
    withExposedPorts(ADMIN_PORT);
    waitingFor(readiness(Duration.ofMinutes(3)));
    // Tests want results quickly, not full batches: flush after 50 ms, commit often.
    settings.put("nlp.batch.max.wait.ms", "50");
    settings.put("commit.interval.ms", "100");
  }

  /** Waits for {@code /health/ready} to answer 200 (models loaded, Kafka Streams RUNNING). */
  public static WaitStrategy readiness(Duration timeout) {
    return Wait.forHttp("/health/ready").forPort(ADMIN_PORT).forStatusCode(200)
        .withStartupTimeout(timeout);
  }

  /**
   * Joins {@code network} and reads from Kafka at {@code bootstrapServers}, an address other
   * containers on that network can reach (for Testcontainers' KafkaContainer, a listener added with
   * {@code withListener("kafka:19092")}).
   */
  public NlpStreamsContainer withKafka(Network network, String bootstrapServers) {
    withNetwork(Objects.requireNonNull(network, "network"));
    return withSetting("bootstrap.servers", bootstrapServers);
  }

  /** The tasks to run: any of ner, translate, summarize. */
  public NlpStreamsContainer withTasks(String... tasks) {
    return withSetting("nlp.tasks", String.join(",", tasks));
  }

  /** at_least_once (Kafka Streams' default) or exactly_once_v2. */
  public NlpStreamsContainer withProcessingGuarantee(String guarantee) {
    return withSetting("processing.guarantee", guarantee);
  }

  /** The schema registry the processor uses (Confluent's REST API, e.g. Apicurio's ccompat). */
  public NlpStreamsContainer withSchemaRegistryUrl(String url) {
    return withSetting("schema.registry.url", url);
  }

  /**
   * Copies a host directory of models (Optimum export layout) to {@value #MODELS_PATH}; point the
   * model settings at {@code /models/<directory>}, e.g. {@code withSetting("nlp.ner.model",
   * "/models/bert-base-NER")}.
   */
  public NlpStreamsContainer withModelDirectory(Path directory) {
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException("Not a directory: " + directory);
    }
    return withCopyFileToContainer(MountableFile.forHostPath(directory), MODELS_PATH);
  }

  /** Any nlp.* or Kafka Streams setting, as {@code --set key=value} would give it. */
  public NlpStreamsContainer withSetting(String key, String value) {
    settings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return self();
  }

  /** Every setting of a pipeline configuration (e.g. loaded from a properties file). */
  public NlpStreamsContainer withSettings(Map<String, String> pipeline) {
    pipeline.forEach(this::withSetting);
    return self();
  }

  public Map<String, String> settings() {
    return Map.copyOf(settings);
  }

  @Override
  protected void configure() {
    List<String> command = new ArrayList<>(List.of("run"));
    settings.forEach((key, value) -> {
      command.add("--set");
      command.add(key + "=" + value);
    });
    setCommand(command.toArray(String[]::new));
  }

  /** The admin endpoint as seen from the test: {@code http://host:mappedPort}. */
  public String adminUrl() {
    return "http://" + getHost() + ":" + getMappedPort(ADMIN_PORT);
  }

  /** One scrape of {@code /metrics} (Prometheus text format). */
  public String scrapeMetrics() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      HttpResponse<InputStream> response = http.send(
          HttpRequest.newBuilder(URI.create(adminUrl() + "/metrics"))
              .timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw new IllegalStateException("/metrics answered " + response.statusCode());
        }
        return new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while scraping metrics", e);
    }
  }
}
