package dev.nlpstreams.app;

import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.OnnxEntityRecognizer;
import dev.nlpstreams.inference.seq2seq.Seq2SeqModel;
import dev.nlpstreams.text.generation.GenerationConfig;
import dev.nlpstreams.text.ner.AggregationStrategy;
import dev.nlpstreams.text.task.NerRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench session}: which ONNX Runtime session options make a model fastest on this machine.
 * Every variant changes one option against the application's defaults (graph optimisation level,
 * intra-op threads, spinning, the CPU arena, memory patterns); each round runs every variant once on
 * the same inputs, in turn, so slow drift of the machine hits all alike. It prints the medians, the
 * ratio to the defaults and writes a report; the defaults should be the winners or within noise.
 */
final class SessionTuningBenchmark {

  private enum Task { TRANSLATE, NER }

  /** One set of session options, named by what differs from the defaults. */
  private record Variant(String name, InferenceSettings settings) {}

  private interface Workload extends AutoCloseable {
    /** Runs the inputs once; returns the units done (generated tokens, or records). */
    long runOnce() throws Exception;

    @Override
    void close();
  }

  private SessionTuningBenchmark() {}

  static int main(List<String> args) throws Exception {
    Task task = Task.TRANSLATE;
    Path model = null;
    int rounds = 3;
    int records = 0;
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--task" -> task = Task.valueOf(args.get(++i).toUpperCase(java.util.Locale.ROOT));
        case "--model" -> model = Path.of(args.get(++i));
        case "--rounds" -> rounds = Integer.parseInt(args.get(++i));
        case "--records" -> records = Integer.parseInt(args.get(++i));
        default -> throw new IllegalArgumentException("Unknown option " + args.get(i)
            + "; bench session [--task translate|ner] [--model DIR] [--rounds N] [--records N]");
      }
    }
    if (model == null) {
      model = Path.of(task == Task.TRANSLATE ? "models/bench/bench-marian-en-de"
          : "models/bench/bench-bert-base-ner");
    }
    if (!Files.isDirectory(model)) {
      throw new IllegalArgumentException("No model at " + model + "; generate it (see"
          + " models/generator/README.md) or pass --model DIR");
    }
    NlpStreamsConfig appDefaults = NlpStreamsConfig.of(Map.of());
    InferenceSettings defaults = task == Task.TRANSLATE
        ? NlpStreamsApp.generationInferenceSettings(appDefaults)
        : NlpStreamsApp.inferenceSettings(appDefaults);
    int cores = Runtime.getRuntime().availableProcessors();
    defaults = defaults.withSessionOptions(defaults.optimizationLevel(),
        defaults.intraOpThreads() > 0 ? defaults.intraOpThreads() : cores,
        defaults.allowSpinning(), defaults.cpuArena(), defaults.memoryPattern())
        .withRunTimeoutMs(600_000);
    List<Variant> variants = variants(defaults, cores);
    if (records == 0) {
      records = task == Task.TRANSLATE ? 32 : 64;
    }
    String unit = task == Task.TRANSLATE ? "generated tokens/s" : "records/s";
    List<String> inputs = task == Task.TRANSLATE ? BenchWorkload.translationInputs(records, 11)
        : BenchWorkload.sentences(records, 11);
    Map<String, List<Double>> rates = new LinkedHashMap<>();
    variants.forEach(v -> rates.put(v.name(), new ArrayList<>()));
    // One warm-up per variant, then rounds in turn; a model is loaded per run so only one is held.
    for (int round = 0; round <= rounds; round++) {
      for (Variant variant : variants) {
        try (Workload workload = open(task, model, variant.settings(), inputs)) {
          workload.runOnce();
          if (round == 0) {
            continue;
          }
          long start = System.nanoTime();
          long units = workload.runOnce();
          rates.get(variant.name()).add(units / ((System.nanoTime() - start) / 1e9));
        }
      }
      if (round > 0) {
        System.err.printf("bench session: round %d/%d done%n", round, rounds);
      }
    }
    double base = BenchStats.median(rates.get(variants.get(0).name()));
    StringBuilder md = new StringBuilder();
    md.append("- Task: ").append(task.name().toLowerCase(java.util.Locale.ROOT))
        .append(", model ").append(model).append(", ").append(records)
        .append(" bench inputs per run").append(task == Task.TRANSLATE
            ? " (greedy, max_new_tokens 32)" : "").append(", ").append(rounds)
        .append(" rounds, variants in turn, each after its own warm-up run\n");
    md.append(BenchMachine.describe());
    md.append("\n| session options | median ").append(unit).append(" | spread | ÷ defaults |\n");
    md.append("|---|---|---|---|\n");
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("machine", BenchMachine.json());
    for (Variant variant : variants) {
      List<Double> r = rates.get(variant.name());
      double median = BenchStats.median(r);
      md.append(String.format("| %s | %.1f | %.1f–%.1f | %.2f |%n", variant.name(), median,
          r.stream().mapToDouble(Double::doubleValue).min().orElse(0),
          r.stream().mapToDouble(Double::doubleValue).max().orElse(0), median / base));
      json.put(variant.name(), Map.of("rates", r, "median", median, "overDefaults",
          median / base));
    }
    System.out.print(md);
    Path report = BenchReportFiles.write(Path.of("target", "bench"), "session-"
        + task.name().toLowerCase(java.util.Locale.ROOT), "bench session", md.toString(), json);
    System.out.println("\nReport: " + report);
    return 0;
  }

  private static List<Variant> variants(InferenceSettings d, int cores) {
    List<Variant> variants = new ArrayList<>();
    variants.add(new Variant("defaults (optimization " + d.optimizationLevel() + ", "
        + d.intraOpThreads() + " intra-op threads, " + (d.allowSpinning() ? "" : "no ")
        + "spinning, " + (d.cpuArena() ? "" : "no ") + "arena, " + (d.memoryPattern() ? ""
        : "no ") + "memory pattern)", d));
    for (String level : List.of("extended", "basic", "none")) {
      variants.add(new Variant("optimization " + level, d.withSessionOptions(level,
          d.intraOpThreads(), d.allowSpinning(), d.cpuArena(), d.memoryPattern())));
    }
    for (int threads = 1; threads <= cores; threads++) {
      if (threads != d.intraOpThreads()) {
        variants.add(new Variant(threads + " intra-op thread(s)", d.withSessionOptions(
            d.optimizationLevel(), threads, d.allowSpinning(), d.cpuArena(), d.memoryPattern())));
      }
    }
    variants.add(new Variant(d.allowSpinning() ? "no spinning" : "spinning",
        d.withSessionOptions(d.optimizationLevel(), d.intraOpThreads(), !d.allowSpinning(),
            d.cpuArena(), d.memoryPattern())));
    variants.add(new Variant(d.cpuArena() ? "no CPU arena" : "CPU arena",
        d.withSessionOptions(d.optimizationLevel(), d.intraOpThreads(), d.allowSpinning(),
            !d.cpuArena(), d.memoryPattern())));
    variants.add(new Variant(d.memoryPattern() ? "no memory pattern" : "memory pattern",
        d.withSessionOptions(d.optimizationLevel(), d.intraOpThreads(), d.allowSpinning(),
            d.cpuArena(), !d.memoryPattern())));
    return variants;
  }

  private static Workload open(Task task, Path model, InferenceSettings settings,
      List<String> texts) {
    if (task == Task.TRANSLATE) {
      Seq2SeqModel generator = Seq2SeqModel.load(model, null, settings);
      List<Map<String, ?>> layers = new ArrayList<>(generator.defaultLayers());
      layers.add(Map.of("num_beams", 1, "max_new_tokens", 32));
      GenerationConfig config = GenerationConfig.fromLayers(layers);
      return new Workload() {
        @Override
        public long runOnce() {
          return generator.generate(texts, config).stream()
              .mapToLong(g -> g.tokenIds().length).sum();
        }

        @Override
        public void close() {
          generator.close();
        }
      };
    }
    OnnxEntityRecognizer recognizer = OnnxEntityRecognizer.load(model, model.getFileName()
        .toString(), 0, 0, settings);
    List<NerRequest> requests = texts.stream()
        .map(text -> new NerRequest(text, AggregationStrategy.SIMPLE)).toList();
    return new Workload() {
      @Override
      public long runOnce() throws Exception {
        return recognizer.recognize(requests).size();
      }

      @Override
      public void close() {
        recognizer.close();
      }
    };
  }
}
