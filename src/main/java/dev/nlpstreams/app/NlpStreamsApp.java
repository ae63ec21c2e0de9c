package dev.nlpstreams.app;

import dev.nlpstreams.app.embedded.EmbeddedKafkaBroker;
import dev.nlpstreams.app.tasks.PortWrapper;
import dev.nlpstreams.config.BatchBudgets;
import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.config.TaskConfigBlock;
import dev.nlpstreams.config.TaskConfigBlocks;
import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.OnnxEntityRecognizer;
import dev.nlpstreams.metrics.NlpMeters;
import dev.nlpstreams.schema.avro.Task;
import io.micrometer.core.instrument.MeterRegistry;
import dev.nlpstreams.streams.GenerationLimits;
import dev.nlpstreams.streams.NlpTopology;
import dev.nlpstreams.streams.InferenceEngines;
import dev.nlpstreams.streams.Topics;
import java.util.concurrent.CountDownLatch;
import dev.nlpstreams.text.batch.FlushPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running nlp-streams processor: the model, the Kafka Streams instance and, when no
 * bootstrap.servers is configured, the embedded single-node KRaft broker it runs against.
 */
public final class NlpStreamsApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(NlpStreamsApp.class);
  /** Partitions of topics created on the embedded broker. */
  static final int EMBEDDED_PARTITIONS = 3;
  /**
   * Lets the embedded broker accept records up to 8 MiB so oversized texts reach the processor
   * and are dead-lettered with a reason, instead of being refused at the producer.
   */
  static final String EMBEDDED_MAX_MESSAGE_BYTES = String.valueOf(8 * 1024 * 1024);

  private final NlpStreamsConfig config;
  private final EmbeddedKafkaBroker broker;
  private final LoadedModels models;
  private final KafkaStreams streams;
  private final InferenceEngines inference;
  private final BackPressure backPressure;
  private final String bootstrapServers;
  private final CountDownLatch failed = new CountDownLatch(1);
  /** Kafka Streams' client metrics and model info in the registry; closed with the app. */
  private StreamsMeterBinding meterBinding;
  private NlpMeters meters = NlpMeters.none();
  /** Guarded by this: close runs once, whoever asks first (a signal handler, a hook, the owner). */
  private boolean closed;

  private NlpStreamsApp(NlpStreamsConfig config, EmbeddedKafkaBroker broker, LoadedModels models,
      KafkaStreams streams, InferenceEngines inference, String bootstrapServers) {
    this.config = config;
    this.broker = broker;
    this.models = models;
    this.streams = streams;
    this.inference = inference;
    this.bootstrapServers = bootstrapServers;
    this.backPressure = new BackPressure(new BackPressure.Pausable() {
      @Override
      public void pause() {
        streams.pause();
      }

      @Override
      public void resume() {
        streams.resume();
      }

      @Override
      public boolean isPaused() {
        return streams.isPaused();
      }
    }, inference::backlog, config.backpressureMaxRecords());
  }

  /** Starts everything; returns once Kafka Streams has been started (not necessarily RUNNING). */
  public static NlpStreamsApp start(NlpStreamsConfig config) {
    return start(config, PortWrapper.NONE);
  }

  /**
   * As {@link #start(NlpStreamsConfig)}, with the loaded models wrapped before the topology sees
   * them: for code that embeds the processor and wants to trace model calls, and for tests that
   * inject a stalling or failing model into a real process.
   */
  public static NlpStreamsApp start(NlpStreamsConfig config, PortWrapper wrapModels) {
    return start(config, wrapModels, NlpMeters.none().registry());
  }

  /** As {@link #start(NlpStreamsConfig)}, recording application and Kafka Streams meters. */
  public static NlpStreamsApp start(NlpStreamsConfig config, MeterRegistry registry) {
    return start(config, PortWrapper.NONE, registry);
  }

  private static NlpStreamsApp start(NlpStreamsConfig config,
      PortWrapper wrapModels, MeterRegistry registry) {
    NlpMeters meters = new NlpMeters(registry);
    EmbeddedKafkaBroker broker = null;
    LoadedModels models = null;
    InferenceEngines inference = null;
    NlpStreamsApp created = null;
    try {
      String bootstrap = config.bootstrapServers();
      Properties streamsProps;
      if (bootstrap == null) {
        // A deployment that lost its bootstrap.servers would otherwise look healthy while it
        // reads nothing of the real cluster: say so where operators look.
        LOG.warn("No bootstrap.servers is set: starting an embedded single-node Kafka broker, for"
            + " demos and tests. To process your cluster's topics, set bootstrap.servers (or"
            + " KAFKA_BOOTSTRAP_SERVERS).");
        broker = EmbeddedKafkaBroker.builder()
            .numPartitions(EMBEDDED_PARTITIONS)
            .brokerProperty("message.max.bytes", EMBEDDED_MAX_MESSAGE_BYTES)
            // The app closes Kafka Streams first, then the broker; a broker hook racing that
            // order could leave Streams waiting out its close timeout. The child still exits on
            // its own when this JVM dies (it watches its stdin).
            .shutdownHook(false)
            .build();
        bootstrap = broker.start();
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String topic : topics(config).all()) {
          topics.put(topic, EMBEDDED_PARTITIONS);
        }
        broker.createTopics(topics);
        streamsProps = config.streamsProperties(bootstrap);
        if (!streamsProps.containsKey(StreamsConfig.STATE_DIR_CONFIG)) {
          // A fresh broker has no changelogs: never reuse local state from an earlier run. Inside
          // the broker's data directory, the state goes when the broker's data goes.
          Path stateDir = Files.createDirectories(broker.dataDir().resolve("streams-state"));
          streamsProps.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        }
      } else {
        streamsProps = config.streamsProperties(bootstrap);
      }

      models = LoadedModels.load(config, wrapModels);
      // Warm up before metrics, so that the meters show only real traffic.
      models.warmUp();
      models.onModelRun(meters::modelRun);
      inference = InferenceEngines.threads(config.inferenceThreadsPerTask());
      // Micro-batches as large as the models' device wants (all models share nlp.inference.device).
      NlpTopology.Settings settings = topologySettings(config, models.device());
      Topology topology = NlpTopology.build(settings, models.stages(settings),
          WireFormats.topologyIo(config), inference, meters);
      KafkaStreams streams = new KafkaStreams(topology, streamsProps);
      streams.setUncaughtExceptionHandler(StreamThreadFailurePolicy.defaults());
      NlpStreamsApp app = new NlpStreamsApp(config, broker, models, streams, inference, bootstrap);
      created = app;
      app.meters = meters;
      streams.setStateListener((newState, oldState) -> {
        LOG.info("Kafka Streams state {} -> {}", oldState, newState);
        if (newState == KafkaStreams.State.ERROR) {
          app.failed.countDown();
        }
      });
      app.meterBinding = StreamsMeterBinding.bind(streams, models.models(), meters);
      streams.start();
      app.backPressure.start();
      LOG.info("nlp-streams started: tasks {} from {} (dead letters: {}) on {}", config.tasks(),
          config.inputTopic(), config.deadLetterTopic(), bootstrap);
      return app;
    } catch (IOException e) {
      closeQuietly(inference, models, broker);
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      if (created != null) {
        // Kafka Streams' clients and the back-pressure timer exist by now: the app's own close
        // stops them, then the engines, the models and the broker, in that order.
        try {
          created.close();
        } catch (RuntimeException closing) {
          e.addSuppressed(closing);
        }
      } else {
        closeQuietly(inference, models, broker);
      }
      throw e;
    }
  }

  public static Topics topics(NlpStreamsConfig config) {
    Map<Task, String> outputs = new EnumMap<>(Task.class);
    for (TaskConfigBlock block : TaskConfigBlocks.ALL) {
      outputs.put(block.task(), config.outputTopic(block.task()));
    }
    return new Topics(config.inputTopic(), outputs, config.deadLetterTopic());
  }

  /** The topology's settings, with the micro-batch budgets of the CPU. */
  public static NlpTopology.Settings topologySettings(NlpStreamsConfig config) {
    return topologySettings(config, "cpu");
  }

  /**
   * The topology's settings, with the micro-batch budgets of the device the models run on
   * ({@code nlp.batch.max.*} where set, the device's defaults otherwise).
   */
  public static NlpTopology.Settings topologySettings(NlpStreamsConfig config, String device) {
    BatchBudgets budgets = config.budgets(device);
    return new NlpTopology.Settings(config.applicationId(), topics(config), config.tasks(),
        config.maxTextChars(),
        new FlushPolicy(budgets.batchMaxRecords(), budgets.batchMaxTokens(),
            config.batchMaxWaitMs()),
        config.deadLetterMaxValueBytes(),
        new GenerationLimits(config.generationMaxChunks(), config.generationMaxNumBeams(),
            config.generationMaxNewTokensLimit(), config.summarizationMaxRounds()),
        config.inferenceRunTimeoutMs(), config.generationRunTimeoutMs(),
        config.maxRecordBytes());
  }

  /**
   * The settings of seq2seq models: generation runs many decoder steps, so its own deadline, and
   * by default no CPU arena (see nlp.inference.cpu.arena).
   */
  public static InferenceSettings generationInferenceSettings(NlpStreamsConfig config) {
    InferenceSettings encoder = inferenceSettings(config);
    return encoder.withSessionOptions(encoder.optimizationLevel(), encoder.intraOpThreads(),
            encoder.allowSpinning(), config.generationCpuArena(), encoder.memoryPattern())
        .withRunTimeoutMs(config.generationRunTimeoutMs());
  }

  public static InferenceSettings inferenceSettings(NlpStreamsConfig config) {
    return new InferenceSettings(config.inferenceDevice(), config.inferenceIntraOpThreads(),
        config.inferenceInterOpThreads(), config.inferenceOptimizationLevel(),
        config.inferenceRunTimeoutMs(), config.inferenceMaxBatchSizeSetting(),
        config.inferenceMaxBatchTokensSetting(), config.inferenceAllowSpinning(),
        config.inferenceCpuArena(), config.inferenceMemoryPattern(),
        dev.nlpstreams.config.ModelPrecision.FP32);
  }

  /** Waits until Kafka Streams is RUNNING; false on timeout or failure. */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      KafkaStreams.State state = streams.state();
      if (state == KafkaStreams.State.RUNNING) {
        return true;
      }
      if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
        return false;
      }
      Thread.sleep(50);
    }
    return false;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public NlpStreamsConfig config() {
    return config;
  }

  /** One line naming every loaded model and its device, for logs and the demo. */
  public String modelSummary() {
    return models.summary();
  }

  /** The application meters this processor records into. */
  public NlpMeters meters() {
    return meters;
  }

  /** The NER model, or null when NER is not configured. */
  public OnnxEntityRecognizer recognizer() {
    return models.model(OnnxEntityRecognizer.class);
  }

  /** Waits until Kafka Streams has gone to ERROR (its client shut down after repeated failures). */
  public void awaitFailure() throws InterruptedException {
    failed.await();
  }

  /**
   * Stops within {@code nlp.shutdown.timeout.ms}: Kafka Streams commits and closes (leaving the
   * group), then model runs in flight are stopped and awaited, and only then are the models closed
   * (closing a session under a running inference crashes the JVM). Records whose flush was stopped
   * stay in the buffer changelogs and run after the restart.
   */
  @Override
  public synchronized void close() {
    // A signal handler and a shutdown hook may both ask; a second caller waits for the first.
    if (closed) {
      return;
    }
    closed = true;
    try {
      closeInOrder();
    } catch (RuntimeException e) {
      LOG.error("Shutdown failed; the process exits anyway", e);
      throw e;
    }
  }

  private void closeInOrder() {
    LOG.info("nlp-streams stopping");
    backPressure.close();
    long timeoutMs = config.shutdownTimeoutMs();
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    // close() without a Duration waits forever; a bounded close never hangs shutdown.
    boolean streamsStopped = streams.close(Duration.ofMillis(timeoutMs * 2 / 3));
    if (!streamsStopped) {
      LOG.warn("Kafka Streams did not stop within {} ms", timeoutMs * 2 / 3);
    }
    if (meterBinding != null) {
      meterBinding.close();
    }
    inference.stopIntake();
    boolean runsStopped = models.stopRuns(remaining(deadline));
    boolean inferenceIdle = inference.awaitIdle(remaining(deadline));
    if (streamsStopped && runsStopped && inferenceIdle) {
      closeQuietly(null, models, broker);
    } else {
      // A thread may still be inside the tokenizer or a session: closing them now would crash the
      // JVM. The process is exiting; the operating system reclaims them.
      LOG.error("Shutdown timed out (streams stopped: {}, model runs stopped: {}, inference"
          + " threads idle: {}); models are left open", streamsStopped, runsStopped,
          inferenceIdle);
      closeQuietly(null, null, broker);
    }
    LOG.info("nlp-streams stopped");
  }

  private static Duration remaining(long deadlineNanos) {
    return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
  }

  private static void closeQuietly(InferenceEngines inference, LoadedModels models,
      EmbeddedKafkaBroker broker) {
    if (inference != null) {
      inference.close();
    }
    if (models != null) {
      models.close();
    }
    if (broker != null) {
      broker.close();
    }
  }
}
