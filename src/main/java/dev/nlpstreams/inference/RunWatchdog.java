package dev.nlpstreams.inference;

import ai.onnxruntime.OrtSession;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cancels ONNX Runtime runs that pass their deadline ({@code RunOptions.setTerminate}), and knows
 * which runs of its model are in flight, so that closing the model can first stop them and wait
 * for them: a session closed under a running {@code OrtSession.run} crashes the JVM.
 */
public final class RunWatchdog implements AutoCloseable {

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "nlp-streams-run-watchdog");
    thread.setDaemon(true);
    return thread;
  });
  private final Set<Deadline> active = ConcurrentHashMap.newKeySet();
  private volatile boolean closing;

  /** One armed deadline. Closing it disarms it; after that the watchdog never touches the run. */
  public final class Deadline implements AutoCloseable {
    private final OrtSession.RunOptions runOptions;
    private final ScheduledFuture<?> future;
    private boolean finished;
    private boolean fired;
    private boolean stopped;

    private Deadline(OrtSession.RunOptions runOptions, long timeoutMs) {
      this.runOptions = runOptions;
      this.future = timer.schedule(() -> terminate(false), timeoutMs, TimeUnit.MILLISECONDS);
    }

    private synchronized void terminate(boolean shutdown) {
      // The lock makes sure the run options are still open when terminate is set.
      if (!finished) {
        if (shutdown) {
          stopped = true;
        } else {
          fired = true;
        }
        try {
          runOptions.setTerminate(true);
        } catch (Exception e) {
          // The run is ending anyway.
        }
      }
    }

    /** Whether the run was cancelled because it passed its deadline. */
    public synchronized boolean fired() {
      return fired;
    }

    /** Whether the run was cancelled because its model is closing. */
    public synchronized boolean stopped() {
      return stopped;
    }

    @Override
    public void close() {
      synchronized (this) {
        finished = true;
        future.cancel(false);
      }
      active.remove(this);
      synchronized (active) {
        active.notifyAll();
      }
    }
  }

  /**
   * Arms a deadline for one run.
   *
   * @throws ModelClosingException when the model is closing: no new run may start
   */
  public Deadline arm(OrtSession.RunOptions runOptions, long timeoutMs) {
    if (closing) {
      throw new ModelClosingException("The model is closing; no new run starts");
    }
    Deadline deadline = new Deadline(runOptions, timeoutMs);
    active.add(deadline);
    if (closing) {
      // Lost a race with stopRuns: this run must not start either.
      deadline.close();
      throw new ModelClosingException("The model is closing; no new run starts");
    }
    return deadline;
  }

  /**
   * Refuses new runs, terminates the runs in flight and waits for them to return.
   *
   * @return true when no run is in flight any more; false when one is still running after the
   *     timeout (its session must then be left open)
   */
  public boolean stopRuns(Duration timeout) {
    closing = true;
    for (Deadline deadline : active) {
      deadline.terminate(true);
    }
    long deadlineNanos = System.nanoTime() + timeout.toNanos();
    synchronized (active) {
      while (!active.isEmpty()) {
        long remainingMs = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (remainingMs <= 0) {
          return false;
        }
        try {
          active.wait(Math.min(remainingMs, 50));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return active.isEmpty();
        }
      }
    }
    return true;
  }

  @Override
  public void close() {
    closing = true;
    timer.shutdownNow();
  }
}
