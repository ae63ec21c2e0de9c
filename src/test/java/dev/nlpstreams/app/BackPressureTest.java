package dev.nlpstreams.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BackPressureTest {

  private final List<String> calls = new ArrayList<>();
  private final AtomicLong backlog = new AtomicLong();
  private boolean paused;
  private final BackPressure control = new BackPressure(new BackPressure.Pausable() {
    @Override
    public void pause() {
      calls.add("pause");
      paused = true;
    }

    @Override
    public void resume() {
      calls.add("resume");
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
}
