package dev.nlpstreams.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BenchCpuTest {

  @Test
  void threadsAreGroupedByWhatTheyDo() {
    assertThat(BenchCpu.role("nlp-streams-7f3e-StreamThread-2")).isEqualTo(BenchCpu.STREAM_THREADS);
    // A stream thread's producer I/O thread carries the stream thread's name: it is client I/O.
    assertThat(BenchCpu.role("kafka-producer-network-thread | app-7f3e-StreamThread-1-producer"))
        .isEqualTo(BenchCpu.KAFKA_IO);
    assertThat(BenchCpu.role("nlp-inference-ner-0")).isEqualTo(BenchCpu.INFERENCE);
    assertThat(BenchCpu.role("main")).isEqualTo(BenchCpu.DRIVER);
    assertThat(BenchCpu.role("Common-Cleaner")).isEqualTo(BenchCpu.OTHER);
  }

  @Test
  void busyWorkOnThisThreadShowsUpAsTheDriversCpu() {
    BenchCpu cpu = new BenchCpu(OptionalLong.of(ProcessHandle.current().pid()));
    BenchCpu.Snapshot before = cpu.snapshot();
    // Busy until this thread has used 200 ms of CPU, however busy the machine is (a wall-clock
    // loop got 82 ms of CPU while a benchmark held both cores).
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    long cpuAtStart = threads.getCurrentThreadCpuTime();
    long giveUp = System.nanoTime() + 30_000_000_000L;
    double sink = 0;
    while (threads.getCurrentThreadCpuTime() - cpuAtStart < 200_000_000L
        && System.nanoTime() < giveUp) {
      for (int i = 0; i < 10_000; i++) {
        sink += Math.sqrt(sink + 1);
      }
    }
    cpu.add(before, cpu.snapshot());
    assertThat(sink).isPositive();
    // The test runs on surefire's "main" thread; /proc is read for the "broker" (this JVM here).
    assertThat(cpu.totals().get(BenchCpu.DRIVER)).isGreaterThan(100_000_000L);
    assertThat(cpu.totals().get(BenchCpu.BROKER)).isGreaterThan(100_000_000L);
    assertThat(cpu.table("the loops", 1_000, 0.2, 2)).contains("| " + BenchCpu.DRIVER + " |")
        .startsWith("CPU during the loops (");
  }
}
