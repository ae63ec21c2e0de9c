package dev.nlpstreams.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The processor as its own JVM, started the way an operator starts it ({@code java -jar
 * target/nlp-streams.jar run --config FILE}), so that a test can SIGKILL or SIGTERM it. Its output
 * goes to a log file that the test reads (and prints on failure); a JVM crash leaves an hs_err file
 * in its directory, which {@link #crashReports()} finds.
 */
final class ProcessorProcess implements AutoCloseable {

  private final String name;
  private final Path dir;
  private final Path configFile;
  private final String mainClass;
  private Process process;
  private int starts;

  /**
   * @param mainClass null for the application's own {@code run} command; else a class on the test
   *     class path with a main that takes {@code --config FILE}
   */
  ProcessorProcess(String name, Path dir, Map<String, String> settings, String mainClass) {
    this.name = name;
    this.dir = dir;
    this.mainClass = mainClass;
    this.configFile = dir.resolve(name + ".properties");
    Properties properties = new Properties();
    properties.putAll(settings);
    try {
      Files.createDirectories(dir);
      try (var out = Files.newBufferedWriter(configFile)) {
        properties.store(out, "fault-injection processor " + name);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path log() {
    return dir.resolve(name + "-" + starts + ".log");
  }

  private final List<String> pids = new ArrayList<>();

  synchronized void start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is already running");
    }
    starts++;
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx768m", "-XX:ErrorFile=" + dir.resolve("hs_err_" + name + "_%p.log")));
    Path jar = Path.of("target", "nlp-streams.jar").toAbsolutePath();
    if (mainClass == null) {
      command.addAll(List.of("-jar", jar.toString(), "run"));
    } else {
      // The jar's manifest class path brings the dependencies: the class path stays short.
      command.addAll(List.of("-cp", Path.of("target", "test-classes").toAbsolutePath() + ":" + jar,
          mainClass));
    }
    command.addAll(List.of("--config", configFile.toString()));
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log().toFile()).start();
      pids.add("start " + starts + ": pid " + process.pid());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no commit, no leave-group. */
  synchronized void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s died after SIGKILL", name).isTrue();
  }

  /**
   * SIGTERM, then waits for the JVM to exit.
   *
   * @return how long the clean shutdown took
   */
  synchronized Duration terminate(Duration timeout) throws InterruptedException {
    long started = System.nanoTime();
    process.destroy();
    boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    if (!exited) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(exited).as("%s exited within %s of SIGTERM; log:%n%s", name, timeout, tail())
        .isTrue();
    // 143 = 128 + SIGTERM: the processor's own signal handler closed it and exited (a JVM crash
    // gives 134, a hang that needed SIGKILL 137).
    assertThat(process.exitValue()).as("%s exit status after SIGTERM; log:%n%s", name, tail())
        .isEqualTo(143);
    return took;
  }

  /** Whether any log of this processor contains {@code text}. */
  boolean logged(String text) {
    for (int i = 1; i <= starts; i++) {
      try {
        Path file = dir.resolve(name + "-" + i + ".log");
        if (Files.exists(file) && Files.readString(file).contains(text)) {
          return true;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return false;
  }

  /**
   * The stacks of the processor's own threads (stream threads, inference threads, shutdown), from
   * {@code jcmd Thread.print}: where it is when it makes no progress.
   */
  synchronized String threadDump() {
    if (process == null || !process.isAlive()) {
      return "(not running)";
    }
    try {
      Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd")
          .toString(), Long.toString(process.pid()), "Thread.print").redirectErrorStream(true)
          .start();
      String dump = new String(jcmd.getInputStream().readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
      jcmd.waitFor(30, TimeUnit.SECONDS);
      StringBuilder ours = new StringBuilder();
      for (String block : dump.split("\\n\\s*\\n")) {
        if (block.startsWith("\"nlp-") || block.contains("StreamThread")) {
          ours.append(block).append("\n\n");
        }
      }
      return ours.length() == 0 ? dump : ours.toString();
    } catch (IOException | InterruptedException e) {
      return "(no thread dump: " + e + ")";
    }
  }

  /** Which process id each start had, to tell which run a crash report belongs to. */
  List<String> pids() {
    return List.copyOf(pids);
  }

  /** JVM crash reports (hs_err files) this processor left. */
  List<Path> crashReports() {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith("hs_err_" + name)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last lines of the current log, for failure messages. */
  String tail() {
    try {
      List<String> lines = Files.exists(log()) ? Files.readAllLines(log()) : List.of();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @Override
  public synchronized void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
