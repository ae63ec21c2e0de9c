package dev.nlpstreams.app.embedded;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka broker (process.roles=broker,controller) running Kafka's own server
 * classes in a child JVM, listening on 127.0.0.1 only.
 *
 * <p>A child process rather than in-process: fault-injection tests can SIGKILL and restart it like a
 * real broker, and the broker's threads, heap and logging stay out of the application's JVM. The child
 * runs {@link BrokerProcessMain} with the same {@code java} binary and class path as this JVM, and
 * exits by itself when this JVM dies (it watches its stdin pipe).
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build()) {
 *     String bootstrap = broker.start();
 *     broker.createTopics(Map.of("text-events", 3));
 *     ...
 * }
 * }</pre>
 *
 * <p>Ports and the data directory are chosen once and kept across {@link #stop()}/{@link #kill()} and
 * {@link #start()}/{@link #restart()}, so clients can reconnect to the same bootstrap servers.
 * Lifecycle methods are thread-safe.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  private static final String HOST = "127.0.0.1";
  private static final int LOG_TAIL_LINES = 30;
  private static final int MAX_ERROR_LINES = 20;
  private static final int MAX_LOG_READ_BYTES = 1024 * 1024;
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final Duration FORCED_STOP_WAIT = Duration.ofSeconds(10);

  private final Path dataDir;
  private final boolean deleteDataDirOnClose;
  private final Path logFile;
  private final Path propertiesFile;
  private final Path log4jConfigFile;
  private final String clusterId = Uuid.randomUuid().toString();
  private final int port;
  private final int controllerPort;
  private final int numPartitions;
  private final String heap;
  private final List<String> jvmArgs;
  private final Map<String, String> extraBrokerProperties;
  private final Duration startTimeout;
  private final Duration stopTimeout;
  private final String javaExecutable;
  private final String classPath;
  private final boolean useShutdownHook;

  private volatile Process process;
  private volatile long logOffsetAtLaunch;
  private volatile boolean closed;
  private Thread shutdownHook;

  private EmbeddedKafkaBroker(Builder builder) {
    try {
      if (builder.dataDir != null) {
        this.dataDir = Files.createDirectories(builder.dataDir).toAbsolutePath();
      } else {
        this.dataDir = Files.createTempDirectory("nlp-streams-kafka-").toAbsolutePath();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the embedded Kafka data directory", e);
    }
    // We only delete what we created, unless told otherwise.
    this.deleteDataDirOnClose = builder.keepDataDir != null ? !builder.keepDataDir : builder.dataDir == null;
    this.logFile = dataDir.resolve("broker.log");
    this.propertiesFile = dataDir.resolve("server.properties");
    this.log4jConfigFile = dataDir.resolve("broker-log4j2.xml");
    int[] ports = freePorts(builder.port, builder.controllerPort);
    this.port = ports[0];
    this.controllerPort = ports[1];
    this.numPartitions = builder.numPartitions;
    this.heap = builder.heap;
    this.jvmArgs = List.copyOf(builder.jvmArgs);
    this.extraBrokerProperties = Map.copyOf(builder.brokerProperties);
    this.startTimeout = builder.startTimeout;
    this.stopTimeout = builder.stopTimeout;
    this.javaExecutable = builder.javaExecutable != null ? builder.javaExecutable : currentJavaExecutable();
    this.classPath = builder.classPath != null ? builder.classPath : absoluteClassPath();
    this.useShutdownHook = builder.shutdownHook;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the child JVM (formatting the storage on the first start) and blocks until the broker
   * answers {@code describeCluster}. Does nothing if it is already running.
   *
   * @return the bootstrap servers, {@code 127.0.0.1:<port>}
   * @throws EmbeddedKafkaException if the broker exits or does not answer within the start timeout;
   *                                the message carries the tail of the broker log
   */
  public synchronized String start() {
    if (closed) {
      throw new IllegalStateException("Embedded Kafka broker is closed");
    }
    if (isRunning()) {
      return bootstrapServers();
    }
    LOG.info("Starting embedded Kafka broker (KRaft) on {}, data in {} (broker log: {})",
        bootstrapServers(), dataDir, logFile);
    long startedAt = System.nanoTime();
    try {
      writeConfiguration();
      process = launchChild();
    } catch (IOException e) {
      throw new EmbeddedKafkaException("Cannot launch the embedded Kafka broker: " + e + logTail(), e);
    }
    registerShutdownHookOnce();
    try {
      awaitReady(process, startedAt + startTimeout.toNanos());
    } catch (RuntimeException e) {
      Process failed = process;
      process = null;
      failed.destroyForcibly();
      awaitExit(failed, FORCED_STOP_WAIT);
      throw e;
    }
    LOG.info("Embedded Kafka broker ready in {} ms (pid {}, bootstrap.servers={})",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt), pidOf(process), bootstrapServers());
    return bootstrapServers();
  }

  /** Graceful stop (Kafka's controlled shutdown), keeping data and ports for a later {@link #start()}. */
  public synchronized void stop() {
    Process running = process;
    process = null;
    if (running != null) {
      long startedAt = System.nanoTime();
      boolean graceful = stopProcess(running, stopTimeout);
      LOG.info("Stopped embedded Kafka broker on {} in {} ms{}", bootstrapServers(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt),
          graceful ? "" : " (forcibly: it did not stop within " + stopTimeout.toMillis() + " ms)");
    }
  }

  /** SIGKILL: the broker gets no chance to flush or shut down. Data and ports are kept. */
  public synchronized void kill() {
    Process running = process;
    process = null;
    if (running != null) {
      running.destroyForcibly();
      awaitExit(running, FORCED_STOP_WAIT);
      LOG.info("Killed embedded Kafka broker on {} (SIGKILL, pid {})", bootstrapServers(), running.pid());
    }
  }

  /** Graceful {@link #stop()} then {@link #start()}: same ports, same data, same cluster. */
  public synchronized String restart() {
    stop();
    return start();
  }

  /**
   * Stops the broker gracefully (forcibly after the stop timeout) and deletes the data directory
   * unless it is to be kept. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    removeShutdownHook();
    deleteDataDirIfRequested();
  }

  /**
   * Creates the topics with replication factor 1 and waits until every partition has a leader.
   * Topics that already exist are left as they are.
   */
  public void createTopics(Map<String, Integer> nameToPartitions) {
    if (nameToPartitions.isEmpty()) {
      return;
    }
    if (!isRunning()) {
      // Otherwise the admin client would retry against a closed port until the timeout.
      throw new IllegalStateException("Embedded Kafka broker is not running: start() it first");
    }
    List<NewTopic> newTopics = nameToPartitions.entrySet().stream()
        .map(e -> new NewTopic(e.getKey(), e.getValue(), (short) 1))
        .collect(Collectors.toList());
    long deadline = System.nanoTime() + startTimeout.toNanos();
    try (Admin admin = Admin.create(adminConfig())) {
      for (Map.Entry<String, KafkaFuture<Void>> created : admin.createTopics(newTopics).values().entrySet()) {
        try {
          created.getValue().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new EmbeddedKafkaException("Cannot create topic " + created.getKey() + ": " + e.getCause(),
                e.getCause());
          }
        }
      }
      awaitLeaders(admin, nameToPartitions.keySet(), deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedKafkaException("Interrupted while creating topics " + nameToPartitions.keySet(), e);
    } catch (TimeoutException e) {
      throw new EmbeddedKafkaException("Timed out creating topics " + nameToPartitions.keySet(), e);
    }
  }

  /** Same as {@link #createTopics(Map)} for one topic. */
  public void createTopic(String name, int partitions) {
    createTopics(Map.of(name, partitions));
  }

  /** {@code 127.0.0.1:<port>}; valid before {@link #start()} too, since ports are chosen up front. */
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  /**
   * A fresh, mutable client configuration for this broker: {@code bootstrap.servers} plus short
   * request timeouts suited to a local broker. Works for Admin; copy what else clients need.
   */
  public Map<String, Object> adminConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    return config;
  }

  public int port() {
    return port;
  }

  public int controllerPort() {
    return controllerPort;
  }

  public String clusterId() {
    return clusterId;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The child's stdout and stderr (Kafka's log4j output goes to its stdout). */
  public Path logFile() {
    return logFile;
  }

  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** The child's process id while it runs. */
  public OptionalLong pid() {
    Process p = process;
    return p != null && p.isAlive() ? OptionalLong.of(p.pid()) : OptionalLong.empty();
  }

  // ---------------------------------------------------------------------------------------------
  // Child process

  private Process launchChild() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable);
    command.add("-Xmx" + heap);
    // A broker that ran out of heap is better dead (clients and start() then say so) than wedged.
    command.add("-XX:+ExitOnOutOfMemoryError");
    // C1 only: starts the broker about a third faster on a 2-core machine and leaves the C2
    // compiler's CPU to the application; a local test broker never needs peak throughput.
    // A later -XX:TieredStopAtLevel=4 in jvmArg(...) wins.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-Djava.awt.headless=true");
    // Our own log4j2 configuration: the application's (or the tests') log4j2.xml on the shared
    // class path must not decide what the broker logs, nor where.
    command.add("-Dlog4j2.configurationFile=" + log4jConfigFile.toUri());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(classPath);
    command.add(BrokerProcessMain.class.getName());
    command.add(propertiesFile.toString());
    command.add(clusterId);

    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(dataDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    // Stdin stays a pipe (the default): the child exits when it reaches EOF, i.e. when we close it
    // or when this JVM dies.
    // Agents passed through the environment (a debugger on a fixed port, a profiler) would attach
    // to the child too and could stop it from starting.
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().remove("JDK_JAVA_OPTIONS");
    logOffsetAtLaunch = Files.exists(logFile) ? Files.size(logFile) : 0;
    // The class path is left out: it can be tens of kilobytes and would swamp log tails.
    String shown = String.join(" ", command).replace(classPath,
        "<class path of the parent JVM, " + classPath.split(File.pathSeparator).length + " entries>");
    Files.writeString(logFile, "=== " + java.time.Instant.now() + " starting: " + shown
            + System.lineSeparator(), StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    return builder.start();
  }

  private void awaitReady(Process child, long deadlineNanos) {
    // Wait for the port first: an admin client pointed at a closed port logs a warning per retry.
    while (!portAccepts()) {
      checkAlive(child);
      if (System.nanoTime() > deadlineNanos) {
        throw startFailure("did not open port " + port + " within " + startTimeout.toMillis() + " ms", null);
      }
      pause(POLL_INTERVAL);
    }
    Map<String, Object> config = adminConfig();
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "embedded-broker-readiness-check");
    Throwable lastError = null;
    try (Admin admin = Admin.create(config)) {
      while (true) {
        checkAlive(child);
        long remaining = remainingMillis(deadlineNanos);
        if (remaining <= 0) {
          throw startFailure("did not answer describeCluster within " + startTimeout.toMillis() + " ms",
              lastError);
        }
        try {
          if (!admin.describeCluster().nodes().get(Math.min(remaining, 5_000), TimeUnit.MILLISECONDS)
              .isEmpty()) {
            return;
          }
        } catch (ExecutionException e) {
          lastError = e.getCause();
        } catch (TimeoutException e) {
          lastError = e;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw startFailure("was interrupted while waiting for it", e);
        }
        pause(POLL_INTERVAL);
      }
    }
  }

  private void checkAlive(Process child) {
    if (!child.isAlive()) {
      throw startFailure("exited with code " + child.exitValue() + " before it was ready", null);
    }
  }

  private EmbeddedKafkaException startFailure(String what, Throwable cause) {
    // Give the child's last lines a moment to reach the file.
    sleep(Duration.ofMillis(200));
    String message = "Embedded Kafka broker on " + bootstrapServers() + " " + what
        + (cause != null ? " (last error: " + cause + ")" : "") + logTail();
    return new EmbeddedKafkaException(message, cause);
  }

  /**
   * Closes the child's stdin (it then exits and Kafka's shutdown hook stops the server cleanly),
   * waits up to {@code timeout}, then SIGTERM, then SIGKILL.
   *
   * @return whether it stopped gracefully
   */
  private static boolean stopProcess(Process child, Duration timeout) {
    try {
      OutputStream stdin = child.getOutputStream();
      stdin.close();
    } catch (IOException e) {
      // Already closed: the child sees EOF anyway.
    }
    if (awaitExit(child, timeout)) {
      return true;
    }
    child.destroy();
    if (awaitExit(child, FORCED_STOP_WAIT)) {
      return false;
    }
    child.destroyForcibly();
    awaitExit(child, FORCED_STOP_WAIT);
    return false;
  }

  private static boolean awaitExit(Process child, Duration timeout) {
    try {
      return child.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !child.isAlive();
    }
  }

  private synchronized void registerShutdownHookOnce() {
    if (!useShutdownHook || shutdownHook != null) {
      return;
    }
    // Deliberately does not take this object's lock: it must work even while another thread is
    // blocked in start(). The child would exit on its own when our stdin pipe closes, but waiting
    // here lets it shut down cleanly and lets us delete the data directory afterwards.
    shutdownHook = new Thread(() -> {
      closed = true;
      Process running = process;
      process = null;
      if (running != null) {
        stopProcess(running, stopTimeout);
      }
      deleteDataDirIfRequested();
    }, "embedded-kafka-broker-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  private void removeShutdownHook() {
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down: the hook is running or will run; that is fine.
      }
      shutdownHook = null;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Configuration

  private void writeConfiguration() throws IOException {
    Properties props = new Properties();
    props.putAll(brokerProperties());
    try (Writer out = Files.newBufferedWriter(propertiesFile, StandardCharsets.UTF_8)) {
      props.store(out, "Embedded single-node KRaft broker (generated on every start)");
    }
    Files.writeString(log4jConfigFile, LOG4J2_CONFIG, StandardCharsets.UTF_8);
  }

  /** The complete broker configuration: our defaults overlaid with the caller's properties. */
  Map<String, String> brokerProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    // Static voters (not controller.quorum.bootstrap.servers): the storage can then be formatted
    // without --standalone, and restarts need no dynamic-quorum state.
    p.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
    p.put("listeners", "PLAINTEXT://" + HOST + ":" + port + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("log.dirs", dataDir.resolve("kraft-logs").toString());
    p.put("num.partitions", Integer.toString(numPartitions));
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    // Internal topics default to replication factor 3, which one node cannot satisfy.
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    // 50 partitions each by default: fewer make the first group / transaction start faster.
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.num.partitions", "5");
    // Tests and the demo start a single consumer group member: no reason to wait 3 s for more.
    p.put("group.initial.rebalance.delay.ms", "0");
    // Off, like most production clusters: topics are created explicitly (createTopics, Kafka
    // Streams' own internal topics), and a misspelled topic fails instead of appearing silently.
    p.put("auto.create.topics.enable", "false");
    p.put("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
    // After a SIGKILL the restarted node cannot register until the controller has expired the
    // dead incarnation's session (default 9 s, plus a 2 s registration retry). Hard-restart tests
    // should not wait that long; the controller is in the same JVM, so heartbeats stay cheap.
    p.put("broker.heartbeat.interval.ms", "1000");
    p.put("broker.session.timeout.ms", "4000");
    p.putAll(extraBrokerProperties);
    return p;
  }

  // Console only: the child's stdout is redirected to broker.log. Log4j's own shutdown hook is
  // disabled so that Kafka's shutdown messages still reach the log.
  private static final String LOG4J2_CONFIG = String.join("\n",
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
      "<Configuration status=\"WARN\" shutdownHook=\"disable\">",
      "  <Appenders>",
      "    <Console name=\"STDOUT\" target=\"SYSTEM_OUT\">",
      "      <PatternLayout pattern=\"[%d] %p %m (%c)%n\"/>",
      "    </Console>",
      "  </Appenders>",
      "  <Loggers>",
      "    <Root level=\"INFO\"><AppenderRef ref=\"STDOUT\"/></Root>",
      "    <Logger name=\"kafka.request.logger\" level=\"WARN\"/>",
      "    <Logger name=\"org.apache.kafka.common.config\" level=\"WARN\"/>",
      "    <Logger name=\"kafka.server.KafkaConfig\" level=\"WARN\"/>",
      "  </Loggers>",
      "</Configuration>",
      "");

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private void awaitLeaders(Admin admin, Collection<String> topics, long deadlineNanos)
      throws InterruptedException, TimeoutException {
    while (true) {
      try {
        Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames()
            .get(remainingMillis(deadlineNanos), TimeUnit.MILLISECONDS);
        boolean allLed = descriptions.values().stream()
            .flatMap(d -> d.partitions().stream())
            .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        if (allLed) {
          return;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw new EmbeddedKafkaException("Cannot describe topics " + topics + ": " + e.getCause(),
              e.getCause());
        }
      }
      if (remainingMillis(deadlineNanos) <= 0) {
        throw new TimeoutException("partitions of " + topics + " have no leader yet");
      }
      pause(POLL_INTERVAL);
    }
  }

  private boolean portAccepts() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * What to append to an exception message: the errors the broker logged since the last launch
   * (a fatal startup error is usually followed by hundreds of shutdown lines, so the tail alone
   * would hide it), then the last lines of the log.
   */
  private String logTail() {
    try {
      List<String> sinceLaunch = readLines(logFile, logOffsetAtLaunch, MAX_LOG_READ_BYTES);
      List<String> errors = errorLines(sinceLaunch);
      List<String> last = sinceLaunch.subList(Math.max(0, sinceLaunch.size() - LOG_TAIL_LINES), sinceLaunch.size());
      StringBuilder out = new StringBuilder();
      if (!errors.isEmpty()) {
        out.append("\n--- errors in ").append(logFile).append(" ---\n").append(String.join("\n", errors));
      }
      out.append("\n--- last ").append(last.size()).append(" lines of ").append(logFile).append(" ---\n")
          .append(String.join("\n", last));
      return out.toString();
    } catch (NoSuchFileException e) {
      return "\n(no broker log at " + logFile + ")";
    } catch (IOException e) {
      return "\n(cannot read broker log " + logFile + ": " + e + ")";
    }
  }

  /** ERROR/FATAL lines with the exception line after each, and "Caused by" lines; at most 20. */
  static List<String> errorLines(List<String> lines) {
    Set<String> picked = new LinkedHashSet<>();
    for (int i = 0; i < lines.size() && picked.size() < MAX_ERROR_LINES; i++) {
      String line = lines.get(i);
      if (line.contains("] ERROR ") || line.contains("] FATAL ") || line.startsWith("[embedded-broker]")) {
        picked.add(line);
        if (i + 1 < lines.size() && !lines.get(i + 1).startsWith("[")) {
          picked.add(lines.get(i + 1));
        }
      } else if (line.startsWith("Caused by: ")) {
        picked.add(line);
      }
    }
    return new ArrayList<>(picked);
  }

  /** Lines from {@code offset} on, reading at most the last {@code maxBytes} (logs can be large). */
  static List<String> readLines(Path file, long offset, int maxBytes) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      long from = Math.max(Math.min(offset, length), length - maxBytes);
      byte[] bytes = new byte[(int) (length - from)];
      raf.seek(from);
      raf.readFully(bytes);
      return List.of(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
    }
  }

  private void deleteDataDirIfRequested() {
    if (!deleteDataDirOnClose) {
      return;
    }
    try {
      deleteRecursively(dataDir);
    } catch (IOException e) {
      LOG.warn("Could not delete embedded Kafka data directory {}: {}", dataDir, e.toString());
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
        if (exc instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw exc;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
        Files.deleteIfExists(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /**
   * Picks free ports for those not given (0), holding all sockets open until every port is chosen
   * so that the broker and controller ports differ.
   */
  private static int[] freePorts(int... requested) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] ports = new int[requested.length];
      for (int i = 0; i < requested.length; i++) {
        if (requested[i] > 0) {
          ports[i] = requested[i];
        } else {
          ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST));
          held.add(socket);
          ports[i] = socket.getLocalPort();
        }
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free port on " + HOST, e);
    } finally {
      for (ServerSocket socket : held) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // Nothing to do: the port is released anyway.
        }
      }
    }
  }

  private static String currentJavaExecutable() {
    Path fromJavaHome = Path.of(System.getProperty("java.home"), "bin",
        System.getProperty("os.name", "").startsWith("Windows") ? "java.exe" : "java");
    if (Files.isExecutable(fromJavaHome)) {
      return fromJavaHome.toString();
    }
    return ProcessHandle.current().info().command()
        .orElseThrow(() -> new IllegalStateException("Cannot find the java executable of this JVM"));
  }

  /**
   * This JVM's class path with absolute entries, because the child runs in the data directory.
   * Under {@code java -jar} it is just the jar; the JVM still honours its manifest Class-Path
   * (lib/*.jar) when the jar is given with -cp.
   */
  private static String absoluteClassPath() {
    String classPath = System.getProperty("java.class.path", "");
    if (classPath.isBlank()) {
      throw new IllegalStateException("java.class.path is empty: cannot start the embedded Kafka broker");
    }
    return List.of(classPath.split(File.pathSeparator)).stream()
        .filter(entry -> !entry.isBlank())
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static long remainingMillis(long deadlineNanos) {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }

  private static long pidOf(Process p) {
    return p == null ? -1 : p.pid();
  }

  /** Sleeps, giving up with an exception when interrupted, so polling loops end promptly. */
  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedKafkaException("Interrupted", e);
    }
  }

  /** Sleeps, keeping the interrupt flag but not failing: for best-effort waits. */
  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "EmbeddedKafkaBroker{" + bootstrapServers() + ", dataDir=" + dataDir + ", running=" + isRunning() + "}";
  }

  /** Options; every one has a default suited to tests and the demo. */
  public static final class Builder {
    private Path dataDir;
    private Boolean keepDataDir;
    private int port;
    private int controllerPort;
    private int numPartitions = 1;
    private String heap = "512m";
    private final List<String> jvmArgs = new ArrayList<>();
    private final Map<String, String> brokerProperties = new LinkedHashMap<>();
    private Duration startTimeout = Duration.ofSeconds(60);
    private Duration stopTimeout = Duration.ofSeconds(30);
    private String javaExecutable;
    private String classPath;
    private boolean shutdownHook = true;

    private Builder() {
    }

    /** Where the broker keeps its logs and configuration; default: a fresh temporary directory. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir);
      return this;
    }

    /**
     * Whether {@link #close()} leaves the data directory in place. Default: a temporary directory
     * we created is deleted, a directory given with {@link #dataDir(Path)} is kept.
     */
    public Builder keepDataDir(boolean keep) {
      this.keepDataDir = keep;
      return this;
    }

    /** Fixed PLAINTEXT port; default 0 = a free port chosen at build time. */
    public Builder port(int port) {
      this.port = requirePort(port);
      return this;
    }

    /** Fixed CONTROLLER port; default 0 = a free port chosen at build time. */
    public Builder controllerPort(int port) {
      this.controllerPort = requirePort(port);
      return this;
    }

    /** {@code num.partitions}: partitions of topics created without an explicit count. Default 1. */
    public Builder numPartitions(int numPartitions) {
      if (numPartitions < 1) {
        throw new IllegalArgumentException("numPartitions must be >= 1: " + numPartitions);
      }
      this.numPartitions = numPartitions;
      return this;
    }

    /** The child's maximum heap, as for -Xmx (e.g. "512m", "1g"). Default 512m. */
    public Builder heap(String heap) {
      if (!heap.matches("\\d+[kKmMgG]?")) {
        throw new IllegalArgumentException("heap must look like 512m or 1g: " + heap);
      }
      this.heap = heap;
      return this;
    }

    /**
     * An extra JVM option for the child, placed after ours (-Xmx, -XX:+ExitOnOutOfMemoryError,
     * -XX:TieredStopAtLevel=1), so that for -XX flags it wins.
     */
    public Builder jvmArg(String arg) {
      this.jvmArgs.add(Objects.requireNonNull(arg));
      return this;
    }

    /** A broker property that overrides or adds to our defaults. */
    public Builder brokerProperty(String key, String value) {
      this.brokerProperties.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
      return this;
    }

    public Builder brokerProperties(Map<String, String> properties) {
      properties.forEach(this::brokerProperty);
      return this;
    }

    /** How long {@link #start()} waits for the broker to answer. Default 60 s. */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = requirePositive(timeout);
      return this;
    }

    /** How long a graceful stop may take before the child is killed. Default 30 s. */
    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = requirePositive(timeout);
      return this;
    }

    /** The java binary for the child; default the one running this JVM. */
    public Builder javaExecutable(String javaExecutable) {
      this.javaExecutable = Objects.requireNonNull(javaExecutable);
      return this;
    }

    /** The child's class path; default this JVM's {@code java.class.path}. */
    public Builder classPath(String classPath) {
      this.classPath = Objects.requireNonNull(classPath);
      return this;
    }

    /**
     * Whether a JVM shutdown hook stops the broker (default true). An application that closes
     * its Kafka clients in its own shutdown hook can turn this off and call {@link #close()}
     * after them, so that the broker does not disappear under its clients.
     */
    public Builder shutdownHook(boolean enabled) {
      this.shutdownHook = enabled;
      return this;
    }

    public EmbeddedKafkaBroker build() {
      return new EmbeddedKafkaBroker(this);
    }

    private static int requirePort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("Not a port: " + port);
      }
      return port;
    }

    private static Duration requirePositive(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("Must be positive: " + d);
      }
      return d;
    }
  }
}
