package dev.nlpstreams.app;

import dev.nlpstreams.app.admin.AdminServer;
import dev.nlpstreams.app.admin.ProcessMetrics;
import dev.nlpstreams.app.admin.Readiness;
import dev.nlpstreams.config.NlpStreamsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The processor as the {@code run} command serves it: the admin endpoint comes up first (so an
 * orchestrator sees a live but not yet ready process while models load), then the processor,
 * recording into the endpoint's Prometheus registry.
 */
final class ServedProcessor implements AutoCloseable {

  private final ProcessMetrics metrics;
  private volatile AdminServer admin;
  private volatile NlpStreamsApp app;
  private boolean closed;

  private ServedProcessor(ProcessMetrics metrics) {
    this.metrics = metrics;
  }

  static ServedProcessor start(NlpStreamsConfig config) {
    ServedProcessor served = new ServedProcessor(ProcessMetrics.create());
    try {
      if (config.adminEnabled()) {
        served.admin = AdminServer.start(config.adminHost(), config.adminPort(),
            served.metrics.registry(), served::live, readiness(served));
      }
      served.app = NlpStreamsApp.start(config, served.metrics.registry());
      return served;
    } catch (IOException e) {
      served.close();
      throw new UncheckedIOException("Cannot bind the admin endpoint to " + config.adminHost() + ":"
          + config.adminPort() + " (" + NlpStreamsConfig.ADMIN_HOST + ", "
          + NlpStreamsConfig.ADMIN_PORT + "): " + e.getMessage(), e);
    } catch (RuntimeException e) {
      served.close();
      throw e;
    }
  }

  /**
   * Ready when the models are loaded and warmed up (the processor object exists only after both)
   * and Kafka Streams is RUNNING (not while it rebalances or restores state).
   */
  private static Readiness readiness(ServedProcessor served) {
    return Readiness.of()
        .and("models-loaded-and-warmed-up", () -> served.app != null)
        .and("kafka-streams-running", () -> served.app != null
            && served.app.state() == KafkaStreams.State.RUNNING);
  }

  /** Live unless Kafka Streams failed for good (ERROR is terminal: only a restart helps). */
  private boolean live() {
    NlpStreamsApp current = app;
    if (current == null) {
      return true;
    }
    KafkaStreams.State state = current.state();
    return state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR;
  }

  /** Waits until Kafka Streams has gone to ERROR (see {@link NlpStreamsApp#awaitFailure()}). */
  void awaitFailure() throws InterruptedException {
    app.awaitFailure();
  }

  NlpStreamsApp app() {
    return app;
  }

  /** The admin endpoint's port, or -1 when it is disabled. */
  int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (app != null) {
      app.close();
    }
    if (admin != null) {
      admin.close();
    }
    metrics.close();
  }
}
