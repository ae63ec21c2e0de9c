package dev.nlpstreams.config;

import java.util.Locale;

/**
 * Where inference should run: {@code auto} (CUDA when available, else CPU with one log line),
 * {@code cpu}, or {@code cuda[:N]} (fail fast when CUDA cannot be used).
 */
public record DeviceSpec(Kind kind, int cudaDeviceId) {

  /** Device selection mode. */
  public enum Kind { AUTO, CPU, CUDA }

  public static final DeviceSpec AUTO = new DeviceSpec(Kind.AUTO, 0);
  public static final DeviceSpec CPU = new DeviceSpec(Kind.CPU, 0);

  public DeviceSpec {
    if (cudaDeviceId < 0) {
      throw new IllegalArgumentException("CUDA device id must be >= 0, was " + cudaDeviceId);
    }
  }

  /** Parses {@code auto}, {@code cpu}, {@code cuda} or {@code cuda:N}. */
  public static DeviceSpec parse(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("auto")) {
      return AUTO;
    }
    if (v.equals("cpu")) {
      return CPU;
    }
    if (v.equals("cuda") || v.equals("gpu")) {
      return new DeviceSpec(Kind.CUDA, 0);
    }
    if (v.startsWith("cuda:")) {
      try {
        return new DeviceSpec(Kind.CUDA, Integer.parseInt(v.substring(5)));
      } catch (IllegalArgumentException e) {
        // falls through to the common message
      }
    }
    throw new IllegalArgumentException(
        "Unknown device '" + value + "': use auto, cpu, cuda or cuda:N (N = GPU index)");
  }

  @Override
  public String toString() {
    return switch (kind) {
      case AUTO -> "auto";
      case CPU -> "cpu";
      case CUDA -> "cuda:" + cudaDeviceId;
    };
  }
}
