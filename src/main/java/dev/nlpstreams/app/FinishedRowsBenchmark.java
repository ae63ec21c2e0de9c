package dev.nlpstreams.app;

import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.seq2seq.Seq2SeqModel;
import dev.nlpstreams.text.generation.FinishedRows;
import dev.nlpstreams.text.generation.GenerationConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bench finished-rows}: what batched decoding should do with the rows of sequences that have
 * finished: drop them from the batch and the KV cache ({@link FinishedRows#DROP}, the default) or
 * keep them in the batch, padded ({@link FinishedRows#KEEP_PADDED}, what transformers.js and the
 * Python generate loop do). Both must give identical outputs; the benchmark checks that, then times
 * them in alternating rounds on a batch whose sequences finish at very different lengths.
 *
 * <p>It needs a model whose outputs end at different lengths, so it runs a trained model (by
 * default the tiny Marian), not a random-weight benchmark model, which always runs to the limit.
 */
final class FinishedRowsBenchmark {

  private static final String SHORT = "the dog runs.";
  private static final String LONG = "the old king remembers my small playground, because the"
      + " young woman buys your dangerous umbrella again.";

  private FinishedRowsBenchmark() {}

  static int main(List<String> args) throws Exception {
    Path model = Path.of("models/tiny/marian-tiny-en-de");
    int rounds = 7;
    int batch = 32;
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--model" -> model = Path.of(args.get(++i));
        case "--rounds" -> rounds = Integer.parseInt(args.get(++i));
        case "--batch" -> batch = Integer.parseInt(args.get(++i));
        default -> throw new IllegalArgumentException("Unknown option " + args.get(i)
            + "; bench finished-rows [--model DIR] [--rounds N] [--batch N]");
      }
    }
    if (!Files.isDirectory(model)) {
      throw new IllegalArgumentException(model + " is not a model directory; run from the"
          + " repository root or pass --model");
    }
    // One long sentence among short ones: the batch runs as long as the long one, while the
    // short ones finish after a few steps.
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      texts.add(i % 8 == 0 ? LONG : SHORT);
    }
    StringBuilder md = new StringBuilder();
    md.append("- Model: ").append(model).append(", batch ").append(batch)
        .append(" (1 long sentence per 7 short ones), ").append(rounds)
        .append(" alternating rounds after one warm-up each\n");
    md.append(BenchMachine.describe());
    md.append("- Load average before: ").append(BenchMachine.loadAverage()).append("\n\n");
    md.append("| search | finished rows | median ms per batch | spread | keep ÷ drop | same output |\n");
    md.append("|---|---|---|---|---|---|\n");
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("machine", BenchMachine.json());
    try (Seq2SeqModel m = Seq2SeqModel.load(model, null, InferenceSettings.cpuDefaults())) {
      for (int beams : new int[] {1, 4}) {
        List<Map<String, Object>> layers = new ArrayList<>(m.defaultLayers());
        layers.add(Map.of("num_beams", beams));
        GenerationConfig config = GenerationConfig.fromLayers(layers);
        List<Seq2SeqModel.Generated> dropped = m.generate(texts, config, FinishedRows.DROP);
        List<Seq2SeqModel.Generated> kept = m.generate(texts, config, FinishedRows.KEEP_PADDED);
        boolean same = true;
        for (int i = 0; i < texts.size(); i++) {
          same &= Arrays.equals(dropped.get(i).tokenIds(), kept.get(i).tokenIds());
        }
        List<Double> dropMs = new ArrayList<>();
        List<Double> keepMs = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
          dropMs.add(time(m, texts, config, FinishedRows.DROP));
          keepMs.add(time(m, texts, config, FinishedRows.KEEP_PADDED));
        }
        double drop = BenchStats.median(dropMs);
        double keep = BenchStats.median(keepMs);
        String search = beams == 1 ? "greedy" : beams + " beams";
        md.append(String.format("| %s | drop | %.1f | %s | | %s |%n", search, drop,
            spreadMs(dropMs), same ? "yes" : "NO"));
        md.append(String.format("| %s | keep padded | %.1f | %s | %.2f | %s |%n", search, keep,
            spreadMs(keepMs), keep / drop, same ? "yes" : "NO"));
        json.put(search, Map.of("dropMs", dropMs, "keepPaddedMs", keepMs, "sameOutput", same,
            "keepOverDrop", keep / drop));
        if (!same) {
          System.err.println("bench finished-rows: outputs differ between the two modes");
        }
      }
    }
    System.out.print(md);
    Path report = BenchReportFiles.write(Path.of("target", "bench"), "finished-rows",
        "bench finished-rows", md.toString(), json);
    System.out.println("\nReport: " + report);
    return 0;
  }

  private static double time(Seq2SeqModel model, List<String> texts, GenerationConfig config,
      FinishedRows mode) {
    long start = System.nanoTime();
    model.generate(texts, config, mode);
    return (System.nanoTime() - start) / 1e6;
  }

  private static String spreadMs(List<Double> ms) {
    double min = ms.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = ms.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    return String.format("%.1f–%.1f", min, max);
  }
}
