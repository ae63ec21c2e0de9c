package dev.nlpstreams.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BackPressureTest {

  private final List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final AtomicLong backlog = new AtomicLong();
  private volatile boolean paused;
  private volatile int resumeFailures;
  private final BackPressure control = new BackPressure(new BackPressure.Pausable() {
    @Override
    public void pause() {
      calls.add("pause");
      paused = true;
    }

    @Override
    public void resume() {
      calls.add("resume");
      if (resumeFailures > 0) {
        resumeFailures--;
        throw new IllegalStateException("a stream thread was being replaced");
      }
      paused = false;
    }

    @Override
    public boolean isPaused() {
      return paused;
    }
  }, backlog::get, 100);

  @Test
  void pausesAboveTheBoundAndResumesAtHalfIt() {
    backlog.set(100);
    control.check();
    assertThat(calls).isEmpty();
    backlog.set(101);
    control.check();
    control.check();
    assertThat(calls).containsExactly("pause");
    backlog.set(51);
    control.check();
    assertThat(calls).containsExactly("pause");
    backlog.set(50);
    control.check();
    assertThat(calls).containsExactly("pause", "resume");
    assertThat(control.pauses()).isEqualTo(1);
  }

  @Test
  void aFailedResumeIsRetriedOnTheTimerInsteadOfLeavingTheClientPausedForGood() throws Exception {
    backlog.set(101);
    control.checkSafely();
    backlog.set(0);
    resumeFailures = 1;
    control.checkSafely();
    assertThat(paused).isTrue();
    control.start();
    try {
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (paused && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    } finally {
      control.close();
    }
    assertThat(paused).isFalse();
    assertThat(calls).containsExactly("pause", "resume", "resume");
  }
}
