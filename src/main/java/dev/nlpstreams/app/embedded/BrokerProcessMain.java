package dev.nlpstreams.app.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Entry point of the child JVM started by {@link EmbeddedKafkaBroker}: formats the KRaft storage if it
 * is not formatted yet, then runs Kafka's own {@code kafka.Kafka} server main.
 *
 * <p>Arguments: {@code <server.properties> <cluster-id>}.
 *
 * <p>Runs only inside the child, so it may call {@link System#exit}: that is what triggers Kafka's own
 * shutdown hook (a graceful {@code server.shutdown()}).
 */
public final class BrokerProcessMain {

  /** Exit code when the storage could not be formatted (distinct from Kafka's own 1). */
  static final int EXIT_FORMAT_FAILED = 3;
  /** Exit code for bad arguments. */
  static final int EXIT_USAGE = 2;

  private BrokerProcessMain() {
  }

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: " + BrokerProcessMain.class.getName() + " <server.properties> <cluster-id>");
      System.exit(EXIT_USAGE);
    }
    String propertiesFile = Path.of(args[0]).toAbsolutePath().toString();
    String clusterId = args[1];

    // Started first, so that a parent that dies while we are still formatting or starting up
    // does not leave an orphan broker behind.
    watchParentThroughStdin();

    format(propertiesFile, clusterId);

    // Kafka's main registers its own shutdown hook (graceful shutdown), blocks until the server
    // stops and calls System.exit itself.
    kafka.Kafka.main(new String[] {propertiesFile});
  }

  /**
   * The parent keeps our stdin pipe open for as long as it wants us alive. EOF means that it closed
   * the pipe on purpose (graceful stop) or that it died (even by SIGKILL, since the kernel closes
   * its end of the pipe): either way we exit, which runs Kafka's graceful shutdown hook.
   */
  private static void watchParentThroughStdin() {
    Thread watcher = new Thread(() -> {
      byte[] buffer = new byte[256];
      try (InputStream in = System.in) {
        while (in.read(buffer) >= 0) {
          // Nothing is ever sent; only EOF matters.
        }
      } catch (IOException e) {
        // A broken pipe means the same as EOF.
      }
      System.out.println("[embedded-broker] stdin closed by the parent process: shutting down");
      System.out.flush();
      System.exit(0);
    }, "embedded-broker-parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  /**
   * Runs Kafka's StorageTool in-process. {@code --ignore-formatted} makes it a no-op on restarts,
   * so the broker keeps its data and cluster id. The static controller.quorum.voters in our
   * properties is what lets a combined node format without --standalone / --initial-controllers.
   */
  private static void format(String propertiesFile, String clusterId) {
    String[] formatArgs = {"format", "--config", propertiesFile, "--cluster-id", clusterId, "--ignore-formatted"};
    int exitCode;
    try {
      exitCode = kafka.tools.StorageTool.execute(formatArgs, System.out);
    } catch (Throwable t) {
      System.err.println("[embedded-broker] formatting the KRaft storage failed: " + t);
      t.printStackTrace();
      exitCode = EXIT_FORMAT_FAILED;
    }
    if (exitCode != 0) {
      System.err.println("[embedded-broker] kafka-storage format exited with " + exitCode);
      System.err.flush();
      System.exit(EXIT_FORMAT_FAILED);
    }
  }
}
