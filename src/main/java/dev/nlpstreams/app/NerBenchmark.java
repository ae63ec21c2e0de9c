package dev.nlpstreams.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nlpstreams.app.embedded.EmbeddedKafkaBroker;
import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.ModelResolver;
import dev.nlpstreams.inference.OnnxEntityRecognizer;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.avro.Entities;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.text.ner.AggregationStrategy;
import dev.nlpstreams.text.task.NerRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench ner}: NER throughput end to end through a real broker versus the same model in a
 * tight batched loop in the same JVM, measured side by side (A B A B ...) after the same warm-up.
 * Prints a table and writes a Markdown and JSON report.
 */
final class NerBenchmark {

  /**
   * Default fp32 peak: the figure benchmarks.md measured for the development machine kind (a
   * 4096x4096 OpenBLAS AVX-512 matrix product on 2 threads, about 335 GFLOP/s); pass --peak-gflops
   * for another machine.
   */

  private static final String TRANSFORMERS_JS_SCRIPT = "models/reference/bench_ner.mjs";

  /** transformers.js's passes, alternating with ours: one text per call, its padded batches. */
  private record TjsRuns(String version, String ortVersion, int batchSize,
      List<Double> singleSeconds, List<Double> batchedSeconds) {}

  private NerBenchmark() {}

  static int main(List<String> args) throws Exception {
    if (args.isEmpty() || !args.get(0).equals("ner")) {
      System.err.println("Usage: bench ner [--events N] [--rounds R] [--partitions P]"
          + " [--tokens T] [--warmup-seconds S] [--report-dir DIR] [--peak-gflops G]"
          + " [--no-transformers-js] [--node PATH] [--load-curve F,F,...] [--config FILE]"
          + " [--set key=value ...]\n   or: "
          + GenerationBenchmark.usage().substring("Usage: ".length()));
      return 2;
    }
    int events = 2000;
    int rounds = 3;
    Path reportDir = Path.of("target", "bench");
    double peakGflops = BenchMachine.GUIDE_FP32_PEAK_GFLOPS;
    int partitions = 12;
    int fixedTokens = 0;
    double warmupSeconds = BenchWarmup.DEFAULT_MAX_SECONDS;
    boolean transformersJs = true;
    List<Double> loadCurve = List.of();
    String node = "node";
    List<String> configArgs = new ArrayList<>();
    for (int i = 1; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--events" -> events = Integer.parseInt(args.get(++i));
        case "--rounds" -> rounds = Integer.parseInt(args.get(++i));
        case "--report-dir" -> reportDir = Path.of(args.get(++i));
        case "--peak-gflops" -> peakGflops = Double.parseDouble(args.get(++i));
        case "--partitions" -> partitions = Integer.parseInt(args.get(++i));
        case "--no-transformers-js" -> transformersJs = false;
        case "--node" -> node = args.get(++i);
        // Fractions of the sustained load to pace at, ~10 s each, for a latency-vs-load curve.
        case "--load-curve" -> loadCurve = Arrays.stream(args.get(++i).split(","))
            .map(String::strip).map(Double::valueOf).sorted().toList();
        // Every event exactly this many tokens before [CLS] and [SEP] (so T + 2 in the model),
        // without padding; 0 keeps the mixed-length workload.
        case "--tokens" -> fixedTokens = Integer.parseInt(args.get(++i));
        case "--warmup-seconds" -> warmupSeconds = Double.parseDouble(args.get(++i));
        default -> configArgs.add(args.get(i));
      }
    }
    // Our own broker, so that the input topic has as many partitions as a production topic would
    // (the demo's embedded broker has 3); two stream threads unless the caller says otherwise.
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().numPartitions(partitions)
        .shutdownHook(false).build()) {
      String bootstrap = broker.start();
      // Only the NER model: the default task list would also load translation and summary models.
      configArgs.addAll(0, List.of("--set", NlpStreamsConfig.TASKS + "=ner",
          "--set", "bootstrap.servers=" + bootstrap,
          "--set", "num.stream.threads=2",
          "--set", "state.dir=" + java.nio.file.Files.createDirectories(
              broker.dataDir().resolve("streams-state"))));
      NlpStreamsConfig config = Main.load(configArgs);
      Map<String, Integer> topics = new LinkedHashMap<>();
      for (String topic : NlpStreamsApp.topics(config).all()) {
        topics.put(topic, partitions);
      }
      broker.createTopics(topics);
      return new Run(config, events, rounds, reportDir, peakGflops, partitions, fixedTokens,
          new BenchCpu(broker.pid()), new BenchCpu(java.util.OptionalLong.empty()),
          transformersJs ? node : null, loadCurve, warmupSeconds).execute();
    }
  }

  /** Idle time between the saturation phase and the latency phase. */
  private static final long SETTLE_MS = 10_000;

  /**
   * A paced, unmeasured pass at the latency phase's rate right before it. The rounds and the
   * saturation phase warm up the code paths of full batches and full fetches; a steady paced
   * load takes others (small fetches and produce requests, batches cut by the timer), and the
   * JIT compiled them in the first seconds of the phase: C2 took up to half a core there, the
   * two cores were saturated, and a backlog formed that set the phase's p99 (tenths of 700-770 ms
   * followed by 140-160 ms).
   */
  private static final double PACED_WARMUP_SECONDS = 5;

  private static final class Run {
    private final NlpStreamsConfig config;
    private final int events;
    private final int rounds;
    private final Path reportDir;
    private final double peakGflops;
    /** The workload; fixed-length texts replace it once the tokenizer is loaded. */
    private List<String> texts;
    private final int fixedTokens;
    private final int partitions;
    private final io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

    /** CPU by role during the end-to-end rounds, and during the tight loops (for comparison). */
    private final BenchCpu e2eCpu;
    private final BenchCpu loopCpu;
    /** The node command for the transformers.js comparison; null: no comparison. */
    private final String node;
    /** Fractions of the sustained load for the latency-vs-load curve; empty: none. */
    private final List<Double> loadCurve;
    private final double warmupSeconds;

    Run(NlpStreamsConfig config, int events, int rounds, Path reportDir, double peakGflops,
        int partitions, int fixedTokens, BenchCpu e2eCpu, BenchCpu loopCpu, String node,
        List<Double> loadCurve, double warmupSeconds) {
      this.loadCurve = loadCurve;
      this.warmupSeconds = warmupSeconds;
      this.fixedTokens = fixedTokens;
      this.node = node;
      this.e2eCpu = e2eCpu;
      this.loopCpu = loopCpu;
      this.partitions = partitions;
      this.config = config;
      this.events = events;
      this.rounds = rounds;
      this.reportDir = reportDir;
      this.peakGflops = peakGflops;
      this.texts = BenchWorkload.sentences(events, 42);
    }

    int execute() throws Exception {
      InferenceSettings inference = NlpStreamsApp.inferenceSettings(config);
      ModelResolver.ResolvedModel model = ModelResolver.resolve(config.nerModel());
      try (OnnxEntityRecognizer loop = OnnxEntityRecognizer.load(model.directory(), model.name(),
              config.nerMaxLength(), config.nerWindowStride(), inference);
          NlpStreamsApp app = NlpStreamsApp.start(config, registry)) {
        if (!app.awaitRunning(Duration.ofSeconds(90))) {
          System.err.println("Processor did not reach RUNNING");
          return 1;
        }
        if (fixedTokens > 0) {
          texts = BenchWorkload.fixedLength(events, fixedTokens, loop::countTokens);
        }
        int[] tokens = texts.stream().mapToInt(loop::countTokens).toArray();
        long totalTokens = Arrays.stream(tokens).asLongStream().sum();
        AggregationStrategy strategy = config.nerAggregationStrategy();

        System.err.printf("Workload: %d events, %d tokens; warming up both sides...%n", events,
            totalTokens);
        // Same warm-up rule for every side: passes until the JIT is quiet (BenchWarmup).
        BenchWarmup.Outcome loopWarmup = new BenchWarmup(warmupSeconds)
            .run(pass -> tightLoop(loop, strategy, pass % 2 == 1));
        TransformersJsDriver js = startTransformersJs(model.directory(), strategy);
        TjsRuns tjs = js == null ? null : new TjsRuns(js.version, js.ortVersion,
            config.batchMaxRecords(), new ArrayList<>(), new ArrayList<>());
        if (js != null) {
          js.pass("single");
          js.pass("batched");
        }
        try (BenchRoundTrip<Entities> e2e = new BenchRoundTrip<>(app.bootstrapServers(),
            config.inputTopic(), config.outputTopic(Task.NER), config.deadLetterTopic(),
            Codecs.ENTITIES, Entities::getEventId)) {
          BenchWarmup.Outcome e2eWarmup = new BenchWarmup(warmupSeconds)
              .run(pass -> e2e.pass(encodedEvents("warmup" + pass)));
          System.err.printf("warm-up: %s; %s%n", loopWarmup.describe("loop"),
              e2eWarmup.describe("end to end"));
          List<Double> e2eSeconds = new ArrayList<>();
          List<Double> loopSeconds = new ArrayList<>();
          List<Double> sortedLoopSeconds = new ArrayList<>();
          List<Long> latencies = new ArrayList<>();
          List<Double> stallMs = new ArrayList<>();
          for (int round = 0; round < rounds; round++) {
            app.meters().takeLongestStreamThreadCallNanos();
            BenchCpu.Snapshot before = e2eCpu.snapshot();
            BenchRoundTrip.Pass<Entities> pass = e2e.pass(encodedEvents("r" + round));
            e2eCpu.add(before, e2eCpu.snapshot());
            e2eSeconds.add(pass.seconds());
            stallMs.add(app.meters().takeLongestStreamThreadCallNanos() / 1e6);
            latencies.addAll(pass.latenciesMs());
            BenchCpu.Snapshot beforeLoop = loopCpu.snapshot();
            loopSeconds.add(tightLoop(loop, strategy, false));
            loopCpu.add(beforeLoop, loopCpu.snapshot());
            sortedLoopSeconds.add(tightLoop(loop, strategy, true));
            if (js != null) {
              tjs.singleSeconds().add(js.pass("single").seconds());
              tjs.batchedSeconds().add(js.pass("batched").seconds());
            }
            System.err.printf("round %d: end-to-end %.2f s, loop %.2f s, sorted loop %.2f s,"
                + " longest stream-thread call %.1f ms%s%n", round + 1, e2eSeconds.get(round),
                loopSeconds.get(round), sortedLoopSeconds.get(round), stallMs.get(round),
                js == null ? "" : String.format(Locale.ROOT, ", transformers.js %.2f s one per"
                    + " call, %.2f s batched", tjs.singleSeconds().get(round),
                    tjs.batchedSeconds().get(round)));
          }
          if (js != null) {
            js.close();
          }
          // The maximum sustainable load: a burst round's rate overstates it (the input is all
          // on the broker before inference starts, so intake and inference barely overlap).
          // Offer twice that rate, paced, so that the processor falls behind whatever its
          // capacity, and divide the events by the time to the last output. Not the output rate
          // of a middle stretch: back-pressure pauses intake now and then, and while it is paused
          // the outputs flow faster than intake and output together can be sustained (a middle
          // stretch once read 1.5 x a rate that then could not be sustained).
          double burst = events / BenchStats.median(e2eSeconds);
          int saturationEvents = (int) Math.max(events, Math.min(30_000, burst * 12));
          System.err.printf("saturation phase: %d events paced at %.0f events/s (2 x the burst"
              + " rate)...%n", saturationEvents, 2 * burst);
          BenchRoundTrip.Pass<Entities> saturated = e2e.pass(
              encodedEvents("sat", saturationEvents), 2 * burst);
          double sustained = saturationEvents / saturated.seconds();
          // Latency at 70% of the sustained load, paced, about 20 s.
          double rate = 0.7 * sustained;
          int pacedEvents = (int) Math.max(events, Math.min(20_000, rate * 20));
          System.err.printf("latency phase: %d events at %.0f events/s (70%% of the sustained"
              + " %.0f)...%n",
              pacedEvents, rate, sustained);
          // Let the saturation phase's aftermath (its garbage, its commits) settle first: right
          // after it, the first tenths of the phase had a p99 of 0.75 s and the rest 0.13 s.
          Thread.sleep(SETTLE_MS);
          e2e.pass(encodedEvents("latwarm", (int) Math.max(100, rate * PACED_WARMUP_SECONDS)),
              rate);
          app.meters().takeBatchNanos();
          app.meters().takeLongestStreamThreadCallNanos();
          double[] waitBefore = queueWait();
          BenchRoundTrip.Pass<Entities> paced = e2e.pass(encodedEvents("lat", pacedEvents), rate);
          double[] waitAfter = queueWait();
          double meanQueueWaitMs = waitAfter[0] == waitBefore[0] ? 0
              : (waitAfter[1] - waitBefore[1]) / (waitAfter[0] - waitBefore[0]);
          List<Double> batchMs = app.meters().takeBatchNanos().stream()
              .map(n -> n / 1e6).toList();
          double pacedStallMs = app.meters().takeLongestStreamThreadCallNanos() / 1e6;
          LatencyAtLoad latencyAtLoad = new LatencyAtLoad(rate, sustained, burst, pacedEvents,
              paced.latenciesMs(), batchMs, config.batchMaxWaitMs(), pacedStallMs,
              meanQueueWaitMs);
          Report report = new Report(config, loop, model, events, totalTokens, tokens,
              e2eSeconds, loopSeconds, sortedLoopSeconds, latencies, peakGflops, partitions,
              stallMs, registry, latencyAtLoad, tjs,
              "Warm-up before the rounds (unmeasured passes until the JIT compilers' time per"
              + " pass stays under 5% of its wall time, --warmup-seconds at the most): "
              + loopWarmup.describe("loop") + "; " + e2eWarmup.describe("end to end") + ".\n\n"
              + e2eCpu.table("the end-to-end rounds", (long) events * rounds, e2eSeconds.stream()
                  .mapToDouble(Double::doubleValue).sum(), BenchMachine.cores())
              + "\nThe same for the tight loops in arrival order (the model alone):\n\n"
              + loopCpu.table("the tight loops in arrival order", (long) events * rounds,
                  loopSeconds.stream().mapToDouble(Double::doubleValue).sum(),
                  BenchMachine.cores()));
          report.print();
          report.write(reportDir);
          if (!loadCurve.isEmpty()) {
            latencyCurve(e2e, app, sustained);
          }
        }
      } finally {
        ModelResolver.cleanUp(model);
      }
      return 0;
    }

    /**
     * transformers.js's token-classification pipeline on the same model directory, texts, threads
     * and batch size, or null (with the reason on stderr) when it cannot run here.
     */
    private TransformersJsDriver startTransformersJs(Path modelDir, AggregationStrategy strategy)
        throws IOException {
      if (node == null) {
        return null;
      }
      if (!java.nio.file.Files.isRegularFile(Path.of(TRANSFORMERS_JS_SCRIPT))
          || !java.nio.file.Files.isDirectory(TransformersJsDriver.PACKAGE)) {
        System.err.println("transformers.js comparison skipped: run from the repository root"
            + " after (cd models/reference && npm ci --ignore-scripts), or pass"
            + " --no-transformers-js");
        return null;
      }
      java.nio.file.Files.createDirectories(reportDir);
      Path inputs = reportDir.resolve("ner-inputs.jsonl");
      ObjectMapper mapper = new ObjectMapper();
      try (java.io.Writer out = java.nio.file.Files.newBufferedWriter(inputs)) {
        for (String text : texts) {
          out.write(mapper.writeValueAsString(Map.of("text", text)));
          out.write('\n');
        }
      }
      // transformers.js has "none" and "simple"; the other strategies cost the same to compute.
      String aggregation = strategy == AggregationStrategy.NONE ? "none" : "simple";
      try {
        return TransformersJsDriver.start(List.of(node, TRANSFORMERS_JS_SCRIPT, "--serve",
            "--model", modelDir.toString(), "--inputs", inputs.toString(),
            "--threads", String.valueOf(config.inferenceIntraOpThreads()),
            "--batch-size", String.valueOf(config.batchMaxRecords()),
            "--aggregation", aggregation));
      } catch (IOException | RuntimeException e) {
        System.err.println("transformers.js comparison skipped: " + e.getMessage());
        return null;
      }
    }

    /**
     * Latency against offered load: events paced at each fraction of the sustained load for about
     * 10 s each (after 5 s of rest), lightest first. Prints a table and writes
     * {@code ner-latency-vs-load.md} and {@code .png} to the report directory.
     */
    private void latencyCurve(BenchRoundTrip<Entities> e2e, NlpStreamsApp app,
        double sustained) throws Exception {
      List<Double> loads = new ArrayList<>();
      List<Double> p50 = new ArrayList<>();
      List<Double> p99 = new ArrayList<>();
      List<Double> bound = new ArrayList<>();
      StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
          "Latency against offered load (sustained load %.0f events/s; %s):%n%n"
              + "| offered | events/s | p50 ms | p99 ms | median batch ms | bound ms"
              + " (max-wait + 2 x median batch) | within |%n|---|---|---|---|---|---|---|%n",
          sustained, model()));
      for (double fraction : loadCurve) {
        double rate = fraction * sustained;
        int count = (int) Math.max(200, rate * 10);
        System.err.printf("load curve: %.0f%% of the sustained load, %d events at %.0f/s...%n",
            100 * fraction, count, rate);
        Thread.sleep(5_000);
        app.meters().takeBatchNanos();
        BenchRoundTrip.Pass<Entities> pass = e2e.pass(
            encodedEvents("curve" + Math.round(100 * fraction), count), rate);
        List<Double> batchMs = app.meters().takeBatchNanos().stream().map(n -> n / 1e6)
            .toList();
        double medianBatch = batchMs.isEmpty() ? 0 : BenchStats.median(batchMs);
        double limit = config.batchMaxWaitMs() + 2 * medianBatch;
        long p50Ms = BenchStats.percentile(pass.latenciesMs(), 0.5);
        long p99Ms = BenchStats.percentile(pass.latenciesMs(), 0.99);
        loads.add(100 * fraction);
        p50.add((double) p50Ms);
        p99.add((double) p99Ms);
        bound.add(limit);
        table.append(String.format(Locale.ROOT, "| %.0f%% | %.0f | %d | %d | %.1f | %.0f | %s |%n",
            100 * fraction, rate, p50Ms, p99Ms, medianBatch, limit,
            p99Ms <= limit ? "yes" : "no"));
      }
      System.out.println();
      System.out.print(table);
      java.nio.file.Files.createDirectories(reportDir);
      java.nio.file.Files.writeString(reportDir.resolve("ner-latency-vs-load.md"), table);
      Map<String, List<Double>> series = new LinkedHashMap<>();
      series.put("p50", p50);
      series.put("p99", p99);
      series.put("bound: max-wait + 2 x median batch", bound);
      LineChart.writeOverlay(reportDir.resolve("ner-latency-vs-load.png"),
          "NER end to end: latency against offered load (" + model() + ")",
          "offered load, % of the sustained load", "ms", loads, series, false);
    }

    private String model() {
      return config.nerModel();
    }

    /** Records that waited for a batch so far, and their total wait in ms. */
    private double[] queueWait() {
      double count = 0;
      double totalMs = 0;
      for (io.micrometer.core.instrument.Timer timer
          : registry.find(dev.nlpstreams.metrics.NlpMeters.QUEUE_WAIT).timers()) {
        count += timer.count();
        totalMs += timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS);
      }
      return new double[] {count, totalMs};
    }

    /** The workload as encoded TextEvents, ids prefixed by the pass name. */
    private Map<String, byte[]> encodedEvents(String prefix) {
      return encodedEvents(prefix, texts.size());
    }

    /** {@code count} events cycling through the workload's texts. */
    private Map<String, byte[]> encodedEvents(String prefix, int count) {
      Map<String, byte[]> events = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        String id = prefix + "-" + i;
        events.put(id, SampleEvents.encoded(id, texts.get(i % texts.size())));
      }
      return events;
    }

    /** The ceiling of our own stack: recognize() in batches of nlp.batch.max.records. */
    private double tightLoop(OnnxEntityRecognizer recognizer, AggregationStrategy strategy,
        boolean sortByLength) throws Exception {
      List<String> order = new ArrayList<>(texts);
      if (sortByLength) {
        order.sort((a, b) -> Integer.compare(a.length(), b.length()));
      }
      int batchSize = config.batchMaxRecords();
      long start = System.nanoTime();
      for (int from = 0; from < order.size(); from += batchSize) {
        List<NerRequest> batch = new ArrayList<>();
        for (String text : order.subList(from, Math.min(order.size(), from + batchSize))) {
          batch.add(new NerRequest(text, strategy));
        }
        recognizer.recognize(batch);
      }
      return (System.nanoTime() - start) / 1e9;
    }
  }

  /**
   * The latency phase: events paced at 70% of the sustained end-to-end rate. The target is p99 at
   * most max-wait + 2 x the median batch time.
   */
  private record LatencyAtLoad(double rate, double sustained, double burst, int events,
      List<Long> latenciesMs,
      List<Double> batchMs, long maxWaitMs, double longestStreamThreadCallMs,
      double meanQueueWaitMs) {

    double medianBatchMs() {
      return batchMs.isEmpty() ? 0 : BenchStats.median(batchMs);
    }

    double batchPercentileMs(double q) {
      if (batchMs.isEmpty()) {
        return 0;
      }
      List<Double> sorted = batchMs.stream().sorted().toList();
      return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
    }

    double boundMs() {
      return maxWaitMs + 2 * medianBatchMs();
    }

    long p(double q) {
      return BenchStats.percentile(latenciesMs, q);
    }

    /**
     * p99 of each tenth of the phase, in the order the outputs arrived: whether the tail is one
     * hiccup, the start of the phase, or spread over all of it.
     */
    String p99ByTenth() {
      List<String> tenths = new ArrayList<>();
      int n = latenciesMs.size();
      for (int i = 0; i < 10 && n >= 10; i++) {
        tenths.add(String.valueOf(BenchStats.percentile(
            latenciesMs.subList(i * n / 10, (i + 1) * n / 10), 0.99)));
      }
      return String.join(" / ", tenths);
    }

    String line() {
      return String.format(Locale.ROOT, "- Sustained load: %.0f events/s (events over the time to"
          + " the last output, offered 2 x the burst rate of %.0f/s)%n"
          + "- Latency at 70%% load (%d events paced at %.0f/s, 70%%"
          + " of the sustained load): p50 %d ms, p99 %d ms; median batch %.1f ms over %d"
          + " batches; bound max-wait + 2 x median batch = %.0f ms: %s; longest stream-thread"
          + " call %.1f ms; mean wait for a batch %.0f ms%n"
          + "- Batch times in the latency phase: p90 %.1f ms, p99 %.1f ms (records of 5 to 60"
          + " words: a batch of long ones takes several times the median)%n"
          + "- p99 of each tenth of the latency phase, in arrival order: %s ms%n", sustained,
          burst, events, rate,
          p(0.50),
          p(0.99), medianBatchMs(), batchMs.size(), boundMs(),
          p(0.99) <= boundMs() ? "met" : "NOT met", longestStreamThreadCallMs, meanQueueWaitMs,
          batchPercentileMs(0.90), batchPercentileMs(0.99), p99ByTenth());
    }
  }

  private record Report(NlpStreamsConfig config, OnnxEntityRecognizer model,
      ModelResolver.ResolvedModel resolved, int events, long totalTokens, int[] tokens,
      List<Double> e2eSeconds, List<Double> loopSeconds, List<Double> sortedLoopSeconds,
      List<Long> latencies, double peakGflops, int partitions, List<Double> stallMs,
      io.micrometer.core.instrument.MeterRegistry registry, LatencyAtLoad latencyAtLoad,
      TjsRuns tjs, String cpuTables) {

    /** Real / computed tokens over every NER model run of the end-to-end passes. */
    double measuredPaddingEfficiency() {
      var summary = registry.find(dev.nlpstreams.metrics.NlpMeters.BATCH_PADDING_EFFICIENCY)
          .summary();
      return summary == null ? 0 : summary.mean();
    }

    /** Mean rows per NER model run of the end-to-end passes. */
    double meanRowsPerRun() {
      var summary = registry.find(dev.nlpstreams.metrics.NlpMeters.BATCH_SIZE).summary();
      return summary == null ? 0 : summary.mean();
    }

    double median(List<Double> values) {
      return BenchStats.median(values);
    }

    String spread(List<Double> values) {
      return BenchStats.spread(values);
    }

    long percentile(double p) {
      return BenchStats.percentile(latencies, p);
    }

    /** Matrix-product FLOPs per token (attention left out); 0 without a readable config.json. */
    double flopsPerToken() {
      try {
        return BenchReport.Flops.encoder(resolved.directory()).perSourceToken();
      } catch (RuntimeException e) {
        return 0;
      }
    }

    /** Real / computed tokens when each nlp.batch.max.records chunk is cut into buckets. */
    double paddingEfficiency() {
      return BenchWorkload.paddingEfficiency(tokens, config.batchMaxRecords(),
          config.inferenceMaxBatchSize(), config.inferenceMaxBatchTokens());
    }

    String table() {
      double e2e = median(e2eSeconds);
      double loop = median(loopSeconds);
      double sorted = median(sortedLoopSeconds);
      StringBuilder t = new StringBuilder();
      t.append("| mode | median s | spread | events/s | tokens/s | e2e throughput ÷ this mode |\n");
      t.append("|---|---|---|---|---|---|\n");
      t.append(row("end to end (broker + processor)", e2e, e2eSeconds, e2e));
      t.append(row("tight loop, arrival order", loop, loopSeconds, e2e));
      t.append(row("tight loop, sorted by length", sorted, sortedLoopSeconds, e2e));
      if (tjs != null) {
        t.append(row("transformers.js " + tjs.version() + ", one text per call",
            median(tjs.singleSeconds()), tjs.singleSeconds(), e2e));
        t.append(row("transformers.js " + tjs.version() + ", padded batches of "
            + tjs.batchSize(), median(tjs.batchedSeconds()), tjs.batchedSeconds(), e2e));
      }
      return t.toString();
    }

    /** Our records/s over transformers.js's, both ways, or a note that it was not run. */
    String versusTransformersJs() {
      if (tjs == null) {
        return "- transformers.js: not run (--no-transformers-js, or not installed)\n";
      }
      double single = median(tjs.singleSeconds());
      double batched = median(tjs.batchedSeconds());
      double best = Math.min(single, batched);
      return String.format(Locale.ROOT, "- Ours ÷ transformers.js %s (onnxruntime-node %s), same"
          + " model file, texts, %d intra-op threads: tight loop %.2fx its one-per-call, %.2fx its"
          + " padded batches; end to end %.2fx its faster mode (its pipeline labels tokens and"
          + " groups them with \"simple\"; ours also reads character offsets)%n", tjs.version(),
          tjs.ortVersion(), config.inferenceIntraOpThreads(), single / median(loopSeconds),
          batched / median(loopSeconds), best / median(e2eSeconds));
    }

    private String row(String name, double median, List<Double> values, double e2e) {
      return String.format(Locale.ROOT, "| %s | %.2f | %s | %.1f | %.0f | %.2f |%n", name, median,
          spread(values), events / median, totalTokens / median, median / e2e);
    }

    String details() {
      double e2eTokensPerSecond = totalTokens / median(e2eSeconds);
      double gflops = e2eTokensPerSecond * flopsPerToken() / 1e9;
      return BenchMachine.describe() + String.format(Locale.ROOT, """
          - Load average (1/5/15 min) at the end: %s
          - Model: %s (sha256 %s, %s), %d labels, windows of %d tokens
          - Workload: %d events, %d tokens (mean %.1f, max %d tokens per event), %d rounds
          - Settings: batch.max.records=%d, batch.max.tokens=%d, batch.max.wait.ms=%d,\
           run batch <= %d rows / %d tokens, intra-op threads %d, stream threads %d
          - Input partitions %d; longest stream-thread call (process or punctuate) per round:\
           %s ms (max %.1f ms)
          - End to end, per NER model run: %.1f rows on average, padding efficiency %.2f
          - End-to-end latency (produce to consume): p50 %d ms, p95 %d ms, p99 %d ms
          - Padding efficiency (real / computed tokens, length buckets within each %d-record\
           batch): %.2f
          - Compute: about %.2f MFLOP per token -> %.2f GFLOP/s end to end, %.0f%% of the\
           measured fp32 peak of %.0f GFLOP/s (--peak-gflops)%s
          %s\
          - Peak resident memory of this JVM (VmHWM): %s
          """,
          BenchMachine.loadAverage(), model.identity().name(), model.identity().version(), model.identity().device(),
          model.modelDir().labels().size(), model.modelDir().maxLength(),
          events, totalTokens, (double) totalTokens / events,
          Arrays.stream(tokens).max().orElse(0), e2eSeconds.size(),
          config.batchMaxRecords(), config.batchMaxTokens(), config.batchMaxWaitMs(),
          config.inferenceMaxBatchSize(), config.inferenceMaxBatchTokens(),
          config.inferenceIntraOpThreads(), config.streamThreads(),
          partitions, stallMs.stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList(),
          stallMs.stream().mapToDouble(Double::doubleValue).max().orElse(0),
          meanRowsPerRun(), measuredPaddingEfficiency(),
          percentile(0.50), percentile(0.95), percentile(0.99),
          config.batchMaxRecords(), paddingEfficiency(),
          flopsPerToken() / 1e6, gflops, 100 * gflops / peakGflops, peakGflops,
          gflops > peakGflops ? " -- above it, so the peak given is too low for this machine"
              : "",
          latencyAtLoad.line() + versusTransformersJs(), BenchMachine.peakRss());
    }

    void print() {
      System.out.println();
      System.out.println("bench ner: end to end through Kafka vs a tight ONNX Runtime loop");
      System.out.println();
      System.out.print(table());
      System.out.println();
      System.out.print(details());
      System.out.println();
      System.out.print(cpuTables);
    }

    void write(Path dir) throws IOException {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("events", events);
      json.put("tokens", totalTokens);
      json.put("e2eSeconds", e2eSeconds);
      json.put("loopSeconds", loopSeconds);
      json.put("sortedLoopSeconds", sortedLoopSeconds);
      if (tjs != null) {
        json.put("transformersJs", Map.of("version", tjs.version(), "onnxruntimeNode",
            tjs.ortVersion(), "batchSize", tjs.batchSize(), "singleSeconds", tjs.singleSeconds(),
            "batchedSeconds", tjs.batchedSeconds()));
      }
      json.put("latencyMs", Map.of("p50", percentile(0.5), "p95", percentile(0.95),
          "p99", percentile(0.99)));
      json.put("model", model.identity().toString());
      json.put("partitions", partitions);
      json.put("streamThreadLongestCallMs", stallMs);
      json.put("meanRowsPerRun", meanRowsPerRun());
      json.put("paddingEfficiencyEndToEnd", measuredPaddingEfficiency());
      json.put("sustainedEventsPerSecond", latencyAtLoad.sustained());
      json.put("burstEventsPerSecond", latencyAtLoad.burst());
      json.put("latencyAtLoad", Map.of("eventsPerSecond", latencyAtLoad.rate(),
          "p50Ms", latencyAtLoad.p(0.5), "p99Ms", latencyAtLoad.p(0.99),
          "medianBatchMs", latencyAtLoad.medianBatchMs(),
          "p99BatchMs", latencyAtLoad.batchPercentileMs(0.99), "boundMs", latencyAtLoad.boundMs(),
          "longestStreamThreadCallMs", latencyAtLoad.longestStreamThreadCallMs()));
      json.put("machine", BenchMachine.json());
      json.put("loadAverage", BenchMachine.loadAverage());
      Path md = BenchReportFiles.write(dir, "ner", "bench ner", table() + "\n" + details()
          + "\n" + cpuTables, json);
      System.out.println();
      System.out.println("Report written to " + md);
    }
  }
}
