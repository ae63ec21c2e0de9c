package dev.nlpstreams.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a model run's time goes, by operator type, read from ONNX Runtime's profiling trace (the
 * Chrome trace-event JSON that {@code SessionOptions.enableProfiling} writes): each node's
 * {@code <node>_kernel_time} event has its duration in microseconds and its {@code op_name}.
 *
 * @param runs the model runs counted ({@code model_run} events after the warm-up)
 * @param microsByOperator kernel time per operator type over all runs, largest first
 */
record OperatorProfile(int runs, Map<String, Long> microsByOperator) {

  /** The operators that multiply matrices (after ONNX Runtime's fusions). */
  static final Set<String> MATRIX_PRODUCTS = Set.of("MatMul", "FusedMatMul", "Gemm",
      "MatMulInteger", "MatMulIntegerToFloat", "DynamicQuantizeMatMul", "QGemm", "Attention");

  OperatorProfile {
    microsByOperator = Collections.unmodifiableMap(new LinkedHashMap<>(microsByOperator));
  }

  /**
   * Reads a trace, leaving out the first {@code warmUpRuns} model runs (and the session's set-up
   * before them): only kernels that started after the last warm-up run ended count.
   */
  static OperatorProfile parse(String traceJson, int warmUpRuns) throws IOException {
    JsonNode events = new ObjectMapper().readTree(traceJson);
    if (!events.isArray()) {
      throw new IOException("Not an ONNX Runtime profiling trace: expected a JSON array");
    }
    List<long[]> runSpans = new ArrayList<>();
    for (JsonNode event : events) {
      if (event.path("cat").asText().equals("Session")
          && event.path("name").asText().equals("model_run")) {
        long start = event.path("ts").asLong();
        runSpans.add(new long[] {start, start + event.path("dur").asLong()});
      }
    }
    runSpans.sort(Comparator.comparingLong(span -> span[0]));
    if (runSpans.size() <= warmUpRuns) {
      throw new IOException("The trace has " + runSpans.size() + " model runs, not more than the"
          + " " + warmUpRuns + " warm-up run(s)");
    }
    long countFrom = warmUpRuns == 0 ? Long.MIN_VALUE : runSpans.get(warmUpRuns - 1)[1];
    Map<String, Long> micros = new LinkedHashMap<>();
    for (JsonNode event : events) {
      if (event.path("cat").asText().equals("Node")
          && event.path("name").asText().endsWith("_kernel_time")
          && event.path("ts").asLong() >= countFrom) {
        micros.merge(event.path("args").path("op_name").asText("?"),
            event.path("dur").asLong(), Long::sum);
      }
    }
    int runs = runSpans.size() - warmUpRuns;
    Map<String, Long> sorted = new LinkedHashMap<>();
    micros.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return new OperatorProfile(runs, sorted);
  }

  long totalMicros() {
    return microsByOperator.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Kernel time of the matrix products, over all runs. */
  long matrixProductMicros() {
    return microsByOperator.entrySet().stream()
        .filter(e -> MATRIX_PRODUCTS.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
  }

  /** One row per operator type: ms per run and share of the kernel time. */
  List<String> tableRows(int top) {
    List<String> rows = new ArrayList<>();
    double total = Math.max(1, totalMicros());
    double perRun = Math.max(1, runs);
    microsByOperator.entrySet().stream().limit(top).forEach(e -> rows.add(String.format(
        java.util.Locale.ROOT, "| %s | %.1f | %.1f%% |", e.getKey(), e.getValue() / 1000.0 / perRun,
        100 * e.getValue() / total)));
    long rest = microsByOperator.values().stream().skip(top).mapToLong(Long::longValue).sum();
    if (rest > 0) {
      rows.add(String.format(java.util.Locale.ROOT, "| %d other operator types | %.1f | %.1f%% |",
          microsByOperator.size() - top, rest / 1000.0 / perRun, 100 * rest / total));
    }
    return rows;
  }
}
