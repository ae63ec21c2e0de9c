package dev.nlpstreams.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Apicurio Registry (Confluent-compatible REST API under {@code /apis/ccompat/v7}) in a
 * child JVM on 127.0.0.1 with in-memory storage; or, for outage tests, an H2 file in its own
 * temporary directory, so that a stop and a start on the same port keep every schema and id (what
 * a real registry outage looks like). The distribution is unpacked by Maven in pre-integration-test (see the pom); its location
 * comes in the {@code apicurio.registry.home} system property.
 */
public final class ApicurioRegistry implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  private final Path runnerJar;
  private final Path workDir;
  private final int port;
  private final boolean persistent;
  private Process process;
  private final Thread shutdownHook = new Thread(this::stopQuietly, "apicurio-registry-stop");

  private ApicurioRegistry(Path runnerJar, Path workDir, int port, boolean persistent) {
    this.runnerJar = runnerJar;
    this.workDir = workDir;
    this.port = port;
    this.persistent = persistent;
  }

  /** An in-memory registry on a free port, not yet started. */
  public static ApicurioRegistry create() {
    return create(false);
  }

  /** A registry whose schemas survive {@link #stop()} and {@link #start()}; not yet started. */
  public static ApicurioRegistry createPersistent() {
    return create(true);
  }

  private static ApicurioRegistry create(boolean persistent) {
    try {
      Path workDir = Files.createTempDirectory("apicurio-registry-");
      return new ApicurioRegistry(runnerJar(), workDir, freePort(), persistent);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts it (again, on the same port and storage) and waits until the API answers. */
  public synchronized ApicurioRegistry start() {
    if (process != null && process.isAlive()) {
      return this;
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC",
        "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
        "-Dquarkus.log.level=WARN"));
    if (persistent) {
      // File-backed H2 so that schemas survive a restart; the directory goes in close().
      command.add("-Dquarkus.datasource.jdbc.url=jdbc:h2:file:"
          + workDir.resolve("db").toAbsolutePath() + "/registry");
    }
    command.addAll(List.of("-jar", runnerJar.toString()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("registry.log").toFile()));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start Apicurio Registry from " + runnerJar, e);
    }
    try {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    } catch (IllegalArgumentException alreadyAdded) {
      // Restarted: the hook from the first start still covers it.
    }
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Apicurio Registry exited with " + process.exitValue()
            + "; see " + workDir.resolve("registry.log") + ":\n" + logTail());
      }
      if (answers()) {
        return this;
      }
      sleep(200);
    }
    stopQuietly();
    throw new IllegalStateException("Apicurio Registry did not answer within " + START_TIMEOUT
        + ":\n" + logTail());
  }

  /** Stops the child JVM (the registry becomes unreachable); storage stays for a restart. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    process = null;
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The Confluent-compatible API base, the value for {@code schema.registry.url}. */
  public String url() {
    return "http://127.0.0.1:" + port + "/apis/ccompat/v7";
  }

  @Override
  public void close() {
    stopQuietly();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException ignored) {
      // Already shutting down, or never started.
    }
    deleteRecursively(workDir);
  }

  private void stopQuietly() {
    try {
      stop();
    } catch (RuntimeException ignored) {
      // Best effort at shutdown.
    }
  }

  private boolean answers() {
    try {
      HttpURLConnection connection =
          (HttpURLConnection) URI.create(url() + "/subjects").toURL().openConnection();
      connection.setConnectTimeout(1000);
      connection.setReadTimeout(2000);
      try {
        return connection.getResponseCode() == 200;
      } finally {
        connection.disconnect();
      }
    } catch (IOException notYet) {
      return false;
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(workDir.resolve("registry.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static Path runnerJar() {
    String home = System.getProperty("apicurio.registry.home");
    String version = System.getProperty("apicurio.registry.version");
    if (home == null || version == null) {
      throw new IllegalStateException("apicurio.registry.home/version are not set: run the"
          + " integration tests through Maven (mvn verify), which unpacks the registry first.");
    }
    Path jar = Path.of(home, "apicurio-registry-app-" + version + "-runner.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("No Apicurio Registry at " + jar + ": run `mvn verify`"
          + " (its pre-integration-test phase unpacks io.apicurio:apicurio-registry-app:" + version
          + ":zip:all from Maven Central).");
    }
    return jar;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the registry", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException ignored) {
      // A temporary directory: best effort.
    }
  }
}
