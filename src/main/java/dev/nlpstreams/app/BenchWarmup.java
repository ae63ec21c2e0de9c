package dev.nlpstreams.app;

import java.util.function.LongSupplier;

/**
 * Runs unmeasured passes of one side of a benchmark until the JIT compilers go quiet, or until a
 * time budget is spent. A fixed number of passes is not enough on this machine kind: with one
 * pass of 2,000 events through the broker and the processor, a C2 compiler thread still took a
 * fifth to a third of a core in the measured rounds (the Kafka clients', Streams' and Avro code
 * paths, and recompilations as a benchmark moves between its phases), and the end-to-end ratio
 * measured that warm-up. A processor that runs for hours pays it once.
 *
 * <p>Quiet means: the compilers' own accounting grew by at most {@code quietFraction} of a pass's
 * wall time, in {@code quietPasses} passes in a row. Where the JVM does not report compilation
 * time, the whole budget is spent.
 */
final class BenchWarmup {

  /** What a warm-up did: its passes, their time, and whether the compilers went quiet. */
  record Outcome(int passes, double seconds, long lastPassJitMillis, boolean settled) {
    String describe(String side) {
      return String.format(java.util.Locale.ROOT, "%s: %d pass(es) in %.0f s, %s (JIT %d ms in"
          + " the last pass)", side, passes, seconds,
          settled ? "the JIT went quiet" : "time budget spent", lastPassJitMillis);
    }
  }

  /** One unmeasured pass. */
  interface Pass {
    void run(int index) throws Exception;
  }

  /** The default: at most this long per side. */
  static final double DEFAULT_MAX_SECONDS = 180;
  /** JIT time per pass, as a fraction of the pass's wall time, that counts as quiet. */
  static final double QUIET_FRACTION = 0.05;
  /** Quiet passes in a row that end the warm-up (one quiet pass can fall between two bursts). */
  static final int QUIET_PASSES = 2;

  private final double maxSeconds;
  private final LongSupplier nanoTime;
  /** The compilers' accumulated milliseconds, or -1 when the JVM does not report them. */
  private final LongSupplier jitMillis;

  BenchWarmup(double maxSeconds) {
    this(maxSeconds, System::nanoTime, BenchCpu::jitMillis);
  }

  BenchWarmup(double maxSeconds, LongSupplier nanoTime, LongSupplier jitMillis) {
    this.maxSeconds = maxSeconds;
    this.nanoTime = nanoTime;
    this.jitMillis = jitMillis;
  }

  /** Runs passes (at least one) until the JIT is quiet or the budget is spent. */
  Outcome run(Pass pass) throws Exception {
    long start = nanoTime.getAsLong();
    int passes = 0;
    int quietInARow = 0;
    long lastJit = 0;
    while (true) {
      long jitBefore = jitMillis.getAsLong();
      long passStart = nanoTime.getAsLong();
      pass.run(passes++);
      long passEnd = nanoTime.getAsLong();
      long jitAfter = jitMillis.getAsLong();
      boolean jitReported = jitBefore >= 0 && jitAfter >= 0;
      lastJit = jitReported ? jitAfter - jitBefore : -1;
      if (jitReported && lastJit <= QUIET_FRACTION * (passEnd - passStart) / 1e6) {
        quietInARow++;
      } else {
        quietInARow = 0;
      }
      double seconds = (passEnd - start) / 1e9;
      if (quietInARow >= QUIET_PASSES) {
        return new Outcome(passes, seconds, lastJit, true);
      }
      if (seconds >= maxSeconds) {
        return new Outcome(passes, seconds, lastJit, false);
      }
    }
  }
}
