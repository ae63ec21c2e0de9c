package dev.nlpstreams.text.batch;

/**
 * Decides when a micro-batch buffer flushes: when it holds {@code maxRecords} records, when their
 * tokens reach {@code maxTokens}, or when the oldest record has waited {@code maxWaitMs}.
 */
public record FlushPolicy(int maxRecords, long maxTokens, long maxWaitMs) {

  public FlushPolicy {
    if (maxRecords < 1) {
      throw new IllegalArgumentException("maxRecords must be at least 1, was " + maxRecords);
    }
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be at least 1, was " + maxTokens);
    }
    if (maxWaitMs < 0) {
      throw new IllegalArgumentException("maxWaitMs must not be negative, was " + maxWaitMs);
    }
  }

  /** Whether a buffer that now holds {@code records} records and {@code tokens} tokens is full. */
  public boolean isFull(int records, long tokens) {
    return records >= maxRecords || tokens >= maxTokens;
  }

  /**
   * Whether a non-empty buffer whose oldest record entered at {@code oldestEnqueuedAtMs} must flush at
   * wall-clock time {@code nowMs}.
   */
  public boolean isDue(long oldestEnqueuedAtMs, long nowMs) {
    return nowMs - oldestEnqueuedAtMs >= maxWaitMs;
  }
}
