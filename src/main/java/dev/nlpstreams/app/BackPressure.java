package dev.nlpstreams.app;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the inference backlog bounded without leaving the consumer group: above
 * {@code maxBacklog} records handed to inference, Kafka Streams is paused (KIP-834: its threads
 * keep polling, heartbeating and committing, but process nothing, so nobody is expelled and
 * nothing is dropped); once inference has worked the backlog down to half the bound, it resumes.
 *
 * <p>Pausing is per application instance: while paused every task waits, NER included. Keep the
 * bound well above what one burst of generation records puts in flight.
 */
final class BackPressure implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BackPressure.class);
  private static final long CHECK_INTERVAL_MS = 20;

  /** What is paused and resumed: the Kafka Streams client. */
  interface Pausable {
    void pause();

    void resume();

    boolean isPaused();
  }

  private final Pausable streams;
  private final LongSupplier backlog;
  private final long maxBacklog;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "nlp-streams-back-pressure");
    thread.setDaemon(true);
    return thread;
  });
  private long pausedAtNanos;
  private long pauses;

  BackPressure(Pausable streams, LongSupplier backlog, long maxBacklog) {
    this.streams = streams;
    this.backlog = backlog;
    this.maxBacklog = maxBacklog;
  }

  void start() {
    timer.scheduleWithFixedDelay(this::checkSafely, CHECK_INTERVAL_MS, CHECK_INTERVAL_MS,
        TimeUnit.MILLISECONDS);
  }

  /**
   * A scheduled task that throws is never run again, silently: a paused client would then stay
   * paused for good. Log the failure and keep checking.
   */
  void checkSafely() {
    try {
      check();
    } catch (RuntimeException e) {
      LOG.warn("Back-pressure check failed; trying again in {} ms", CHECK_INTERVAL_MS, e);
    }
  }

  /** One decision; runs on the timer thread (tests call it directly). */
  synchronized void check() {
    long current = backlog.getAsLong();
    boolean paused = streams.isPaused();
    if (!paused && current > maxBacklog) {
      streams.pause();
      pausedAtNanos = System.nanoTime();
      pauses++;
      LOG.info("Back-pressure: {} records are waiting for inference (bound {},"
          + " nlp.backpressure.max.records); intake paused until half of them are done",
          current, maxBacklog);
    } else if (paused && current <= maxBacklog / 2) {
      streams.resume();
      LOG.info("Back-pressure: {} records waiting for inference; intake resumed after {} ms",
          current, (System.nanoTime() - pausedAtNanos) / 1_000_000);
    }
  }

  synchronized long pauses() {
    return pauses;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
