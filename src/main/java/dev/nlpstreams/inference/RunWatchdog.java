package dev.nlpstreams.inference;

import ai.onnxruntime.OrtSession;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cancels ONNX Runtime runs that pass their deadline ({@code RunOptions.setTerminate}), so a stalled
 * run cannot hold a stream thread past max.poll.interval.ms or a transaction timeout.
 */
public final class RunWatchdog implements AutoCloseable {

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "nlp-streams-run-watchdog");
    thread.setDaemon(true);
    return thread;
  });

  /** One armed deadline. Closing it disarms it; after that the watchdog never touches the run. */
  public final class Deadline implements AutoCloseable {
    private final OrtSession.RunOptions runOptions;
    private final ScheduledFuture<?> future;
    private boolean finished;
    private boolean fired;

    private Deadline(OrtSession.RunOptions runOptions, long timeoutMs) {
      this.runOptions = runOptions;
      this.future = timer.schedule(this::fire, timeoutMs, TimeUnit.MILLISECONDS);
    }

    private synchronized void fire() {
      // The lock makes sure the run options are still open when terminate is set.
      if (!finished) {
        fired = true;
        try {
          runOptions.setTerminate(true);
        } catch (Exception e) {
          // The run is ending anyway.
        }
      }
    }

    public synchronized boolean fired() {
      return fired;
    }

    @Override
    public synchronized void close() {
      finished = true;
      future.cancel(false);
    }
  }

  public Deadline arm(OrtSession.RunOptions runOptions, long timeoutMs) {
    return new Deadline(runOptions, timeoutMs);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
