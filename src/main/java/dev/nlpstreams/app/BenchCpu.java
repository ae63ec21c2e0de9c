package dev.nlpstreams.app;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Where the CPU went during a stretch of a benchmark: this JVM's threads grouped by what they do,
 * the native remainder of the JVM (ONNX Runtime's pool threads, GC, JIT), and the broker's own
 * process. On a 2-core machine that is the question behind every end-to-end vs loop ratio: which
 * part of the pipeline shares the cores with the model.
 *
 * <p>Per-thread figures come from {@link ThreadMXBean#getThreadCpuTime}; threads that end between
 * two snapshots drop out of their role and land in the native remainder.
 */
final class BenchCpu {

  /** Linux reports process CPU in clock ticks of USER_HZ, which is 100 on every mainstream build. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  static final String STREAM_THREADS = "stream threads (poll, decode, plan, buffer, forward)";
  static final String KAFKA_IO = "Kafka client I/O threads";
  static final String INFERENCE = "inference threads (Java side and ONNX Runtime caller)";
  static final String DRIVER = "benchmark driver (its producer and consumer)";
  static final String OTHER = "other JVM threads";
  static final String NATIVE = "native remainder (ONNX Runtime pool, GC, JIT)";
  static final String BROKER = "broker (its own JVM)";

  /**
   * CPU nanoseconds by role at one moment, the JVM's garbage collections so far and the JIT
   * compilers' accumulated time (-1 when the JVM does not report it).
   */
  record Snapshot(Map<String, Long> nanosByRole, long gcCount, long gcMillis, long jitMillis) {}

  private final OptionalLong brokerPid;
  private final Map<String, Long> totals = new LinkedHashMap<>();
  private long gcCount;
  private long gcMillis;
  private long jitMillis;

  BenchCpu(OptionalLong brokerPid) {
    this.brokerPid = brokerPid;
    for (String role : new String[] {STREAM_THREADS, KAFKA_IO, INFERENCE, DRIVER, OTHER, NATIVE,
        BROKER}) {
      totals.put(role, 0L);
    }
  }

  /** What a thread of this name does. */
  static String role(String threadName) {
    if (threadName.startsWith("kafka-") || threadName.contains("consumer_background")
        || threadName.contains("heartbeat")) {
      return KAFKA_IO;
    }
    if (threadName.contains("StreamThread")) {
      return STREAM_THREADS;
    }
    if (threadName.startsWith("nlp-inference-")) {
      return INFERENCE;
    }
    if (threadName.equals("main")) {
      return DRIVER;
    }
    return OTHER;
  }

  Snapshot snapshot() {
    Map<String, Long> byRole = new LinkedHashMap<>();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long javaThreads = 0;
    for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long nanos = threads.getThreadCpuTime(info.getThreadId());
      if (nanos > 0) {
        byRole.merge(role(info.getThreadName()), nanos, Long::sum);
        javaThreads += nanos;
      }
    }
    byRole.put(NATIVE, Math.max(0, processNanos(ProcessHandle.current().pid()) - javaThreads));
    byRole.put(BROKER, brokerPid.isPresent() ? processNanos(brokerPid.getAsLong()) : 0);
    long collections = 0;
    long collectionMillis = 0;
    for (java.lang.management.GarbageCollectorMXBean gc
        : ManagementFactory.getGarbageCollectorMXBeans()) {
      collections += Math.max(0, gc.getCollectionCount());
      collectionMillis += Math.max(0, gc.getCollectionTime());
    }
    return new Snapshot(byRole, collections, collectionMillis, jitMillis());
  }

  /** Adds what each role used between {@code from} and {@code to}. */
  void add(Snapshot from, Snapshot to) {
    for (String role : totals.keySet()) {
      long used = to.nanosByRole().getOrDefault(role, 0L)
          - from.nanosByRole().getOrDefault(role, 0L);
      totals.merge(role, Math.max(0, used), Long::sum);
    }
    gcCount += to.gcCount() - from.gcCount();
    gcMillis += to.gcMillis() - from.gcMillis();
    if (from.jitMillis() >= 0 && to.jitMillis() >= 0) {
      jitMillis += to.jitMillis() - from.jitMillis();
    }
  }

  /**
   * A Markdown table of the CPU added so far, per 1,000 events and as shares of the total;
   * {@code during} names what ran meanwhile ("the end-to-end rounds").
   */
  String table(String during, long events, double wallSeconds, int cores) {
    long sum = totals.values().stream().mapToLong(Long::longValue).sum();
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT, "CPU during %s (%.1f s of wall clock x"
        + " %d cores = %.1f core-seconds available, %.1f used):%n%n", during, wallSeconds, cores,
        wallSeconds * cores, sum / 1e9));
    t.append("| where | CPU s | ms per 1,000 events | share |\n|---|---|---|---|\n");
    totals.forEach((role, nanos) -> t.append(String.format(Locale.ROOT,
        "| %s | %.2f | %.0f | %.0f%% |%n", role, nanos / 1e9, nanos / 1e6 / events * 1000,
        sum == 0 ? 0 : 100.0 * nanos / sum)));
    t.append(String.format(Locale.ROOT, "%nGarbage collection in this JVM meanwhile: %d"
        + " collections, %d ms (the collectors' own accounting; their threads are part of the"
        + " native remainder).%n", gcCount, gcMillis));
    // On two cores a JIT compiler thread busy with the Kafka clients' and Streams' code paths
    // takes CPU from the model: a round measured before compilation settles measures warm-up.
    t.append(String.format(Locale.ROOT, "JIT compilation meanwhile: %d ms (the compilers' own"
        + " accounting, also part of the native remainder).%n", jitMillis));
    return t.toString();
  }

  Map<String, Long> totals() {
    return Map.copyOf(totals);
  }

  /** The JIT compilers' accumulated milliseconds, -1 when the JVM does not report them. */
  static long jitMillis() {
    java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime() : -1;
  }

  /** utime + stime of a process, 0 when it cannot be read (not Linux, process gone). */
  static long processNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // The command name may hold spaces and parentheses; the fields after the last ')' start
      // with the state (field 3), so utime (field 14) and stime (field 15) are at 11 and 12.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
