package dev.nlpstreams.app;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Closes the processor on SIGTERM and SIGINT <em>before</em> the JVM starts shutting down, then
 * exits with the status the JVM itself would give (128 + the signal number).
 *
 * <p>Why not just a shutdown hook: shutdown hooks run concurrently and in no set order, and ONNX
 * Runtime's Java binding registers one that releases its native environment. Our close first stops
 * the model runs in flight and then closes the sessions; with both hooks racing, the environment
 * could be released under a run that is still stopping, or before the sessions that depend on it
 * are closed, which crashes the JVM. Handling the signal ourselves finishes the orderly close
 * first; the JVM's hooks then find nothing running. A shutdown hook remains for every other way
 * out (System.exit, the last non-daemon thread ending), and the close is idempotent.
 */
public final class ShutdownSignals {

  private static final Logger LOG = LoggerFactory.getLogger(ShutdownSignals.class);

  private ShutdownSignals() {}

  /** Installs the handlers for {@code app}, closing it once whichever way the process ends. */
  public static void closeOnSignals(AutoCloseable app) {
    beforeStart().started(app);
  }

  /**
   * Installs the handlers before the processor starts (loading and warming up models can take
   * minutes). A signal before {@link Started#started} halts the JVM at once, without running the
   * shutdown hooks: nothing has started that needs an orderly close (Kafka Streams has not
   * started; the embedded broker's process follows this one), while a hook releasing ONNX
   * Runtime's environment under a session still being created could crash the JVM.
   */
  public static Started beforeStart() {
    Started guard = new Started();
    for (String name : List.of("TERM", "INT")) {
      try {
        Signal.handle(new Signal(name), signal -> {
          AutoCloseable app = guard.app;
          if (app == null) {
            LOG.warn("SIG{} during start-up: exiting before anything ran", signal.getName());
            Runtime.getRuntime().halt(128 + signal.getNumber());
          }
          closeQuietly(app);
          System.exit(128 + signal.getNumber());
        });
      } catch (IllegalArgumentException e) {
        // The JVM keeps this signal (-Xrs, or a debugger owns it): the shutdown hook still closes.
        LOG.warn("Cannot handle SIG{} ({}); relying on the shutdown hook", name, e.getMessage());
      }
    }
    return guard;
  }

  /** The handlers' view of the processor: none until it has started. */
  public static final class Started {
    private volatile AutoCloseable app;

    private Started() {}

    /** From now on a signal closes {@code app} in order; so does any other way out. */
    public void started(AutoCloseable app) {
      this.app = app;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(app),
          "nlp-streams-shutdown"));
    }
  }

  private static void closeQuietly(AutoCloseable app) {
    try {
      app.close();
    } catch (Exception e) {
      LOG.error("Closing nlp-streams failed", e);
    }
  }
}
