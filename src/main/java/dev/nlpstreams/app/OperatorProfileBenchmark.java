package dev.nlpstreams.app;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nlpstreams.config.ModelPrecision;
import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.OrtSessions;
import java.io.IOException;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * {@code bench ops}: where an encoder model's run goes, by operator type. Runs one BERT-family
 * encoder export ({@code onnx/model.onnx}, or its int8 twin) on a fixed batch of random token ids
 * with the processor's session settings and ONNX Runtime's profiler on, then prints each operator
 * type's time per run and the matrix products' rate against the machine's fp32 peak: what limits
 * the fraction of peak a model reaches (issue 9's BERT-base target).
 */
final class OperatorProfileBenchmark {

  private static final int WARM_UP_RUNS = 1;
  private static final int TABLE_ROWS = 12;

  private OperatorProfileBenchmark() {}

  record Options(Path model, ModelPrecision precision, int batch, int tokens, int runs,
      double peakGflops, Path reportDir) {}

  static int main(List<String> args) throws Exception {
    Path model = Path.of("models/bench/bench-bert-base-ner");
    ModelPrecision precision = ModelPrecision.FP32;
    int batch = 32;
    int tokens = 130;
    int runs = 5;
    double peak = BenchMachine.GUIDE_FP32_PEAK_GFLOPS;
    Path reportDir = Path.of("target", "bench");
    List<String> configArgs = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--model" -> model = Path.of(args.get(++i));
        case "--precision" -> precision = ModelPrecision.parse(args.get(++i));
        case "--batch" -> batch = Integer.parseInt(args.get(++i));
        case "--tokens" -> tokens = Integer.parseInt(args.get(++i));
        case "--runs" -> runs = Integer.parseInt(args.get(++i));
        case "--peak-gflops" -> peak = Double.parseDouble(args.get(++i));
        case "--report-dir" -> reportDir = Path.of(args.get(++i));
        default -> configArgs.add(args.get(i));
      }
    }
    if (batch < 1 || tokens < 2 || runs < 1) {
      System.err.println("--batch and --runs must be at least 1, --tokens at least 2.");
      return 2;
    }
    Path graph = model.resolve(precision.graphFile("onnx/model.onnx"));
    if (!Files.isRegularFile(graph)) {
      System.err.println(graph + " does not exist: bench ops profiles an encoder export"
          + " (onnx/model.onnx, or onnx/model_quantized.onnx for int8).");
      return 2;
    }
    NlpStreamsConfig config = Main.load(configArgs);
    InferenceSettings settings = NlpStreamsApp.inferenceSettings(config).withPrecision(precision);
    return run(new Options(model, precision, batch, tokens, runs, peak, reportDir), graph,
        settings);
  }

  /** A profiled measurement: the operator profile, the timed runs' seconds, the model's FLOPs. */
  record Measured(OperatorProfile profile, double[] runSeconds, double weightFlops,
      double attentionFlops, String shape) {

    double medianSeconds() {
      double[] sorted = runSeconds.clone();
      Arrays.sort(sorted);
      return sorted[sorted.length / 2];
    }

    /** The matrix products' rate in GFLOP/s (fp32-equivalent for int8). */
    double matrixGflops() {
      return (weightFlops + attentionFlops) / (profile.matrixProductMicros() / 1e6
          / Math.max(1, profile.runs())) / 1e9;
    }

    /** The share of the kernel time the matrix products take. */
    double matrixShare() {
      return (double) profile.matrixProductMicros() / Math.max(1, profile.totalMicros());
    }

    /** The whole run's rate in GFLOP/s, from the median wall time. */
    double runGflops() {
      return (weightFlops + attentionFlops) / medianSeconds() / 1e9;
    }

    /** The share of the kernel time that {@code operator} takes. */
    double share(String operator) {
      return (double) profile.microsByOperator().getOrDefault(operator, 0L)
          / Math.max(1, profile.totalMicros());
    }
  }

  private static int run(Options options, Path graph, InferenceSettings settings)
      throws Exception {
    Measured measured = measure(options, graph, settings);
    String report = report(options, settings, measured);
    System.out.print(report);
    Map<String, Object> json = new LinkedHashMap<>(BenchMachine.json());
    json.put("model", options.model().toString());
    json.put("precision", options.precision().toString());
    json.put("batch", options.batch());
    json.put("tokens", options.tokens());
    json.put("runs", measured.profile().runs());
    json.put("microsByOperator", measured.profile().microsByOperator());
    json.put("runSeconds", measured.runSeconds());
    Path md = BenchReportFiles.write(options.reportDir(), "ops", "bench ops", report, json);
    System.out.println("Report written to " + md);
    return 0;
  }

  /** Profiles {@code options.runs()} runs of {@code graph} after a warm-up run. */
  static Measured measure(Options options, Path graph, InferenceSettings settings)
      throws Exception {
    JsonNode modelConfig = new ObjectMapper().readTree(
        options.model().resolve("config.json").toFile());
    Path traceDir = Files.createTempDirectory("nlp-streams-ops");
    double[] seconds = new double[options.runs()];
    Path trace;
    try (OrtSessions.OpenedSession opened = OrtSessions.openProfiled(graph, settings,
        traceDir.resolve("trace"))) {
      OrtSession session = opened.session();
      Map<String, long[]> inputs = inputs(session, modelConfig, options);
      for (int run = 0; run < WARM_UP_RUNS + options.runs(); run++) {
        long started = System.nanoTime();
        runOnce(session, inputs, options);
        if (run >= WARM_UP_RUNS) {
          seconds[run - WARM_UP_RUNS] = (System.nanoTime() - started) / 1e9;
        }
      }
      trace = Path.of(session.endProfiling());
    }
    OperatorProfile profile = OperatorProfile.parse(Files.readString(trace), WARM_UP_RUNS);
    Files.deleteIfExists(trace);
    Files.deleteIfExists(traceDir);
    BenchReport.Flops flops = BenchReport.Flops.encoder(options.model());
    double weightFlops = (double) options.batch() * options.tokens() * flops.perSourceToken();
    double attentionFlops = options.batch() * flops.attentionPerSequence(options.tokens());
    String shape = flops.shape();
    return new Measured(profile, seconds, weightFlops, attentionFlops, shape);
  }

  /** Random ids below the vocabulary size, every position attended, one segment. */
  private static Map<String, long[]> inputs(OrtSession session, JsonNode modelConfig,
      Options options) {
    int size = options.batch() * options.tokens();
    long vocab = Math.max(2, modelConfig.path("vocab_size").asLong(1000));
    Random random = new Random(42);
    Map<String, long[]> inputs = new HashMap<>();
    for (String name : session.getInputNames()) {
      long[] values = new long[size];
      switch (name) {
        case "input_ids" -> Arrays.setAll(values, i -> 1 + (long) random.nextInt(
            (int) Math.min(Integer.MAX_VALUE, vocab - 1)));
        case "attention_mask" -> Arrays.fill(values, 1);
        case "token_type_ids" -> Arrays.fill(values, 0);
        default -> throw new IllegalArgumentException("bench ops feeds BERT-family encoders"
            + " (input_ids, attention_mask, token_type_ids); this graph also takes " + name);
      }
      inputs.put(name, values);
    }
    return inputs;
  }

  private static void runOnce(OrtSession session, Map<String, long[]> inputs, Options options)
      throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long[] shape = {options.batch(), options.tokens()};
    Map<String, OnnxTensor> tensors = new HashMap<>();
    try {
      for (Map.Entry<String, long[]> input : inputs.entrySet()) {
        tensors.put(input.getKey(),
            OnnxTensor.createTensor(env, LongBuffer.wrap(input.getValue()), shape));
      }
      try (OrtSession.Result ignored = session.run(tensors)) {
        // Only the time matters.
      }
    } finally {
      tensors.values().forEach(OnnxTensor::close);
    }
  }

  private static String report(Options options, InferenceSettings settings, Measured m) {
    OperatorProfile profile = m.profile();
    double kernelSeconds = profile.totalMicros() / 1e6 / Math.max(1, profile.runs());
    double matrixSeconds = profile.matrixProductMicros() / 1e6 / Math.max(1, profile.runs());
    double[] sorted = m.runSeconds().clone();
    Arrays.sort(sorted);
    boolean fp32 = options.precision() == ModelPrecision.FP32;
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "bench ops: %s %s, batch %d x %d tokens, %d runs after"
        + " %d warm-up, intra-op threads %d, optimization %s%n%n",
        options.model().getFileName(), options.precision(), options.batch(), options.tokens(),
        profile.runs(), WARM_UP_RUNS, settings.intraOpThreads(), settings.optimizationLevel()));
    md.append("| operator (after ONNX Runtime's fusions) | ms per run | share of kernel time |\n");
    md.append("|---|---|---|\n");
    profile.tableRows(TABLE_ROWS).forEach(row -> md.append(row).append('\n'));
    md.append('\n').append(BenchMachine.describe());
    md.append(String.format(Locale.ROOT, "- Model: %s; %.1f GFLOP per run (%.1f in weight"
        + " products, %.1f in attention)%n", m.shape(), (m.weightFlops() + m.attentionFlops())
        / 1e9, m.weightFlops() / 1e9, m.attentionFlops() / 1e9));
    md.append(String.format(Locale.ROOT, "- Run time (wall, profiler on): median %.0f ms, spread"
        + " %.0f-%.0f ms; kernel time %.0f ms per run%n", m.medianSeconds() * 1e3,
        sorted[0] * 1e3, sorted[sorted.length - 1] * 1e3, kernelSeconds * 1e3));
    md.append(String.format(Locale.ROOT, "- Matrix products (%s): %.0f ms per run, %.0f%% of"
        + " the kernel time, %.0f GFLOP/s%s%n", String.join(", ",
            OperatorProfile.MATRIX_PRODUCTS.stream().filter(profile.microsByOperator()::containsKey)
                .sorted().toList()), matrixSeconds * 1e3, 100 * m.matrixShare(),
        m.matrixGflops(), fp32 ? String.format(Locale.ROOT,
            ", %.0f%% of the fp32 peak of %.0f GFLOP/s (--peak-gflops)",
            100 * m.matrixGflops() / options.peakGflops(), options.peakGflops())
            : " (fp32-equivalent)"));
    md.append(String.format(Locale.ROOT, "- Whole run: %.0f GFLOP/s%s%n", m.runGflops(),
        fp32 ? String.format(Locale.ROOT,
            ", %.0f%% of peak (the matrix products' %.0f%% if every other operator were free)",
            100 * m.runGflops() / options.peakGflops(),
            100 * m.matrixGflops() / options.peakGflops())
            : " (fp32-equivalent)"));
    return md.toString();
  }
}
