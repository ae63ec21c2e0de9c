package dev.nlpstreams.app;

import dev.nlpstreams.metrics.NlpMeters;
import dev.nlpstreams.text.task.ModelIdentity;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Binds what a running processor exposes to its meter registry: Kafka Streams' own client metrics
 * (stream threads, tasks, stores, and the embedded consumers' fetch metrics, consumer lag among
 * them) and one {@code nlp.model.info} gauge per loaded model.
 */
final class StreamsMeterBinding implements AutoCloseable {

  /**
   * How often the Kafka binder looks for new client metrics. Per-partition metrics (records-lag)
   * appear only after a rebalance assigns partitions; Micrometer's default of a minute would leave
   * them out of the first scrapes after start-up.
   */
  static final Duration REFRESH = Duration.ofSeconds(10);

  private final ScheduledExecutorService scheduler;
  private final KafkaStreamsMetrics kafka;

  private StreamsMeterBinding(ScheduledExecutorService scheduler, KafkaStreamsMetrics kafka) {
    this.scheduler = scheduler;
    this.kafka = kafka;
  }

  static StreamsMeterBinding bind(org.apache.kafka.streams.KafkaStreams streams,
      java.util.List<LoadedModels.TaskModel> models, NlpMeters meters) {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "nlp-streams-kafka-meters");
      thread.setDaemon(true);
      return thread;
    });
    KafkaStreamsMetrics kafka =
        new KafkaStreamsMetrics(streams, java.util.List.of(), scheduler, REFRESH);
    kafka.bindTo(meters.registry());
    models.forEach(loaded -> info(meters, loaded.task(), loaded.model().identity()));
    return new StreamsMeterBinding(scheduler, kafka);
  }

  private static void info(NlpMeters meters, String task, ModelIdentity identity) {
    meters.modelInfo(task, identity.name(), identity.version(), identity.device());
  }

  @Override
  public void close() {
    kafka.close();
    scheduler.shutdownNow();
  }
}
