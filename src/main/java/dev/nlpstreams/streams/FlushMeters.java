package dev.nlpstreams.streams;

import dev.nlpstreams.metrics.NlpMeters;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Records micro-batch flushes in the application meters, each as if it were one model run of its
 * task: a flush hands its whole buffer to the task in one call, so neither the model that ran nor
 * the padded size is known here. The batching engine will record per model run (model name,
 * device, padding, generation steps) through the same {@link NlpMeters}; then this class goes.
 */
final class FlushMeters {

  private FlushMeters() {}

  /**
   * A flush handed to its inference thread: rows, fill, real tokens, and each record's wait in the
   * buffer. The {@code model} tag is the task in lower case (ner, translate, summarize).
   */
  static void handedOver(NlpMeters meters, String task, List<PendingRecord> batch, int maxRows,
      long nowMs) {
    if (batch.isEmpty()) {
      return;
    }
    String model = model(task);
    meters.batch(model, batch.size(), maxRows);
    long tokens = 0;
    for (PendingRecord record : batch) {
      tokens += record.buffered().getTokenCount();
      meters.queueWait(model, Duration.ofMillis(nowMs - record.buffered().getEnqueuedAt()));
    }
    // Padded size unknown at this level: 0 leaves the padding efficiency out.
    meters.tokens(model, tokens, 0);
  }

  /** The flush's run, timed as one inference (device unknown at this level). */
  static <T> Callable<T> timed(NlpMeters meters, String task, Callable<T> run) {
    return () -> {
      long started = System.nanoTime();
      try {
        return run.call();
      } finally {
        meters.inferenceLatency(model(task), NlpMeters.UNKNOWN, System.nanoTime() - started);
      }
    };
  }

  private static String model(String task) {
    return task.toLowerCase(Locale.ROOT);
  }
}
