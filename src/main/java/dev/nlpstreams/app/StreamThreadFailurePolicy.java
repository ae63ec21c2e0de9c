package dev.nlpstreams.app;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a stream thread dies. Kafka Streams can replace the thread (its tasks are
 * restored and the records after the last commit are read again) or shut the client down.
 *
 * <ul>
 *   <li>A transient failure (anything caused by Kafka's {@link RetriableException}: a broker or
 *       schema registry that is away for a while) replaces the thread, always: waiting it out is
 *       the only way to lose nothing. The replacement backs off, doubling up to 15 s.
 *   <li>Any other failure also replaces the thread, because the cause may have been passing; but
 *       the same failure over and over is a replay loop (a record that fails deterministically
 *       before it could be dead-lettered), so after {@code maxFailures} within {@code window} the
 *       client shuts down with one clear log line instead of spinning forever.
 * </ul>
 */
final class StreamThreadFailurePolicy implements StreamsUncaughtExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailurePolicy.class);
  /** Long enough not to spin, short enough to resume soon after a dependency returns. */
  private static final long MAX_BACKOFF_MS = 15_000;

  private final int maxFailures;
  private final Duration window;
  private final LongSupplier clockMs;
  private final java.util.function.LongConsumer sleeper;
  private final Deque<Long> recentFailures = new ArrayDeque<>();
  private int consecutiveTransient;

  StreamThreadFailurePolicy(int maxFailures, Duration window, LongSupplier clockMs,
      java.util.function.LongConsumer sleeper) {
    this.maxFailures = maxFailures;
    this.window = window;
    this.clockMs = clockMs;
    this.sleeper = sleeper;
  }

  static StreamThreadFailurePolicy defaults() {
    return new StreamThreadFailurePolicy(5, Duration.ofMinutes(10), System::currentTimeMillis,
        StreamThreadFailurePolicy::sleep);
  }

  @Override
  public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
    if (isTransient(exception)) {
      long backoffMs = Math.min(MAX_BACKOFF_MS, 1_000L << Math.min(consecutiveTransient, 6));
      consecutiveTransient++;
      LOG.warn("Stream thread failed on a transient error ({}); replacing it in {} ms. The"
          + " records after the last commit are read again; nothing is skipped.",
          rootMessage(exception), backoffMs);
      sleeper.accept(backoffMs);
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
    consecutiveTransient = 0;
    long now = clockMs.getAsLong();
    recentFailures.addLast(now);
    while (!recentFailures.isEmpty() && recentFailures.peekFirst() < now - window.toMillis()) {
      recentFailures.removeFirst();
    }
    if (recentFailures.size() >= maxFailures) {
      LOG.error("Stream threads failed {} times within {} min; the last failure is below. This"
          + " looks like a failure that repeats on the same input rather than a passing one,"
          + " so the client shuts down instead of replaying it forever. Fix the cause and"
          + " restart.", recentFailures.size(), window.toMinutes(), exception);
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }
    LOG.error("Stream thread failed ({} of {} allowed within {} min); replacing it",
        recentFailures.size(), maxFailures, window.toMinutes(), exception);
    return StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  /** Whether any cause in the chain is one Kafka marks as worth retrying. */
  static boolean isTransient(Throwable exception) {
    for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RetriableException) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable exception) {
    Throwable root = exception;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
