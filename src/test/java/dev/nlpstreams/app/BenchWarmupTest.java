package dev.nlpstreams.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BenchWarmupTest {

  /** A clock and a JIT counter that only the passes move: each pass takes one second. */
  private final AtomicLong nanos = new AtomicLong();
  private final AtomicLong jit = new AtomicLong();

  private BenchWarmup warmup(double maxSeconds) {
    return new BenchWarmup(maxSeconds, nanos::get, jit::get);
  }

  /** A pass of one second in which the compilers spend {@code jitMs[index]} (0 past the end). */
  private BenchWarmup.Pass passes(long... jitMs) {
    return index -> {
      nanos.addAndGet(1_000_000_000L);
      jit.addAndGet(index < jitMs.length ? jitMs[index] : 0);
    };
  }

  @Test
  void stopsAfterTwoQuietPassesInARow() throws Exception {
    // 300 ms of JIT in a 1 s pass is busy; 50 ms (5%) is quiet; one quiet pass between two busy
    // ones does not end it.
    BenchWarmup.Outcome outcome = warmup(100).run(passes(400, 300, 20, 300, 50, 10, 500));
    assertThat(outcome.passes()).isEqualTo(6);
    assertThat(outcome.settled()).isTrue();
    assertThat(outcome.lastPassJitMillis()).isEqualTo(10);
    assertThat(outcome.seconds()).isEqualTo(6.0);
  }

  @Test
  void aCompilerThatNeverGoesQuietEndsAtTheBudget() throws Exception {
    long[] busy = new long[50];
    java.util.Arrays.fill(busy, 200);
    BenchWarmup.Outcome outcome = warmup(10).run(passes(busy));
    assertThat(outcome.passes()).isEqualTo(10);
    assertThat(outcome.settled()).isFalse();
    assertThat(outcome.describe("end to end")).contains("time budget spent");
  }

  @Test
  void runsAtLeastOnePassAndTheWholeBudgetWhenTheJvmReportsNoJitTime() throws Exception {
    assertThat(warmup(0).run(passes(500)).passes()).isEqualTo(1);
    BenchWarmup unreported = new BenchWarmup(5, nanos::get, () -> -1);
    BenchWarmup.Outcome outcome = unreported.run(passes());
    assertThat(outcome.passes()).isEqualTo(5);
    assertThat(outcome.settled()).isFalse();
  }
}
