package dev.nlpstreams.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Facts about the machine a benchmark ran on: cores, CPU, AVX-512, the load average (the machines
 * are shared, so a report says how busy it was) and this JVM's peak resident memory.
 */
final class BenchMachine {

  /**
   * The fp32 peak the fractions of peak are reported against (--peak-gflops overrides it): what
   * benchmarks.md measured with OpenBLAS on this machine kind. The rate a given day delivers can be
   * lower; bench report measures and prints it.
   */
  static final double GUIDE_FP32_PEAK_GFLOPS = 335;

  private BenchMachine() {}

  static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name")).findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  static boolean hasAvx512() {
    try {
      return Files.readString(Path.of("/proc/cpuinfo")).contains("avx512f");
    } catch (IOException e) {
      return false;
    }
  }

  /** The 1, 5 and 15 minute load averages, as the kernel prints them. */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " / " + fields[1] + " / " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** Peak resident memory of this JVM (VmHWM), for example {@code "1234567 kB"}. */
  static String peakRss() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("VmHWM")).findFirst()
          .map(l -> l.substring(6).trim()).orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** One Markdown list line: cores, CPU, AVX-512. */
  static String describe() {
    return String.format("- Machine: %d cores, %s, AVX-512: %s%n", cores(), cpuModel(),
        hasAvx512());
  }

  static Map<String, Object> json() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("cores", cores());
    json.put("cpu", cpuModel());
    json.put("avx512", hasAvx512());
    json.put("peakRss", peakRss());
    return json;
  }
}
