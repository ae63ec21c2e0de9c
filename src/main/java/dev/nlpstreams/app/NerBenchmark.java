package dev.nlpstreams.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.ModelResolver;
import dev.nlpstreams.inference.OnnxEntityRecognizer;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.avro.Entities;
import dev.nlpstreams.text.batch.LengthBuckets;
import dev.nlpstreams.text.ner.AggregationStrategy;
import dev.nlpstreams.text.task.NerRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code bench ner}: NER throughput end to end through a real broker versus the same model in a
 * tight batched loop in the same JVM, measured side by side (A B A B ...) after the same warm-up.
 * Prints a table and writes a Markdown and JSON report.
 */
final class NerBenchmark {

  /**
   * Default assumed fp32 peak: the figure benchmarks.md gives for the development machine kind
   * (2 cores x 32 FLOP/cycle x about 2.6 GHz). ONNX Runtime was measured above it here (about 375
   * GFLOP/s on BERT-base with 2 threads), so the real peak is higher; pass --peak-gflops to set it.
   */
  private static final double DEFAULT_PEAK_GFLOPS = 166.0;

  private NerBenchmark() {}

  static int main(List<String> args) throws Exception {
    if (args.isEmpty() || !args.get(0).equals("ner")) {
      System.err.println("Usage: bench ner [--events N] [--rounds R] [--report-dir DIR]"
          + " [--peak-gflops G] [--config FILE] [--set key=value ...]");
      return 2;
    }
    int events = 2000;
    int rounds = 3;
    Path reportDir = Path.of("target", "bench");
    double peakGflops = DEFAULT_PEAK_GFLOPS;
    List<String> configArgs = new ArrayList<>();
    for (int i = 1; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--events" -> events = Integer.parseInt(args.get(++i));
        case "--rounds" -> rounds = Integer.parseInt(args.get(++i));
        case "--report-dir" -> reportDir = Path.of(args.get(++i));
        case "--peak-gflops" -> peakGflops = Double.parseDouble(args.get(++i));
        default -> configArgs.add(args.get(i));
      }
    }
    NlpStreamsConfig config = Main.load(configArgs);
    return new Run(config, events, rounds, reportDir, peakGflops).execute();
  }

  private static final class Run {
    private final NlpStreamsConfig config;
    private final int events;
    private final int rounds;
    private final Path reportDir;
    private final double peakGflops;
    private final List<String> texts;

    Run(NlpStreamsConfig config, int events, int rounds, Path reportDir, double peakGflops) {
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
          NlpStreamsApp app = NlpStreamsApp.start(config)) {
        if (!app.awaitRunning(Duration.ofSeconds(90))) {
          System.err.println("Processor did not reach RUNNING");
          return 1;
        }
        int[] tokens = texts.stream().mapToInt(loop::countTokens).toArray();
        long totalTokens = Arrays.stream(tokens).asLongStream().sum();
        AggregationStrategy strategy = config.nerAggregationStrategy();

        System.err.printf("Workload: %d events, %d tokens; warming up both sides...%n", events,
            totalTokens);
        // Same warm-up for both sides: one full pass each.
        tightLoop(loop, strategy, false);
        try (EndToEnd e2e = new EndToEnd(app.bootstrapServers(), config)) {
          e2e.pass(texts, "warmup");
          List<Double> e2eSeconds = new ArrayList<>();
          List<Double> loopSeconds = new ArrayList<>();
          List<Double> sortedLoopSeconds = new ArrayList<>();
          List<Long> latencies = new ArrayList<>();
          for (int round = 0; round < rounds; round++) {
            EndToEnd.PassResult pass = e2e.pass(texts, "r" + round);
            e2eSeconds.add(pass.seconds());
            latencies.addAll(pass.latenciesMs());
            loopSeconds.add(tightLoop(loop, strategy, false));
            sortedLoopSeconds.add(tightLoop(loop, strategy, true));
            System.err.printf("round %d: end-to-end %.2f s, loop %.2f s, sorted loop %.2f s%n",
                round + 1, e2eSeconds.get(round), loopSeconds.get(round),
                sortedLoopSeconds.get(round));
          }
          Report report = new Report(config, loop, model, events, totalTokens, tokens,
              e2eSeconds, loopSeconds, sortedLoopSeconds, latencies, peakGflops);
          report.print();
          report.write(reportDir);
        }
      } finally {
        ModelResolver.cleanUp(model);
      }
      return 0;
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

  /** Produces a pass of events and waits for all their Entities records. */
  private static final class EndToEnd implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final NlpStreamsConfig config;

    record PassResult(double seconds, List<Long> latenciesMs) {}

    EndToEnd(String bootstrap, NlpStreamsConfig config) {
      this.config = config;
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
      producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
      Properties c = new Properties();
      c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      c.put(ConsumerConfig.GROUP_ID_CONFIG, "nlp-streams-bench-" + System.nanoTime());
      c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
      consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
      consumer.subscribe(List.of(config.entitiesTopic()));
      while (consumer.assignment().isEmpty()) {
        consumer.poll(Duration.ofMillis(100));
      }
    }

    PassResult pass(List<String> texts, String prefix) throws Exception {
      Set<String> pending = new HashSet<>();
      long start = System.nanoTime();
      for (int i = 0; i < texts.size(); i++) {
        String id = prefix + "-" + i;
        pending.add(id);
        producer.send(new ProducerRecord<>(config.inputTopic(), id,
            SampleEvents.encoded(id, texts.get(i))));
      }
      producer.flush();
      List<Long> latencies = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (!pending.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          Entities entities = Codecs.ENTITIES.decode(record.value());
          if (pending.remove(entities.getEventId())) {
            // The output keeps the input's timestamp, so this is produce-to-consume latency.
            latencies.add(System.currentTimeMillis() - record.timestamp());
          }
        }
      }
      if (!pending.isEmpty()) {
        throw new IllegalStateException(pending.size() + " events never produced entities");
      }
      return new PassResult((System.nanoTime() - start) / 1e9, latencies);
    }

    @Override
    public void close() {
      producer.close(Duration.ofSeconds(5));
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private record Report(NlpStreamsConfig config, OnnxEntityRecognizer model,
      ModelResolver.ResolvedModel resolved, int events, long totalTokens, int[] tokens,
      List<Double> e2eSeconds, List<Double> loopSeconds, List<Double> sortedLoopSeconds,
      List<Long> latencies, double peakGflops) {

    double median(List<Double> values) {
      double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      int n = sorted.length;
      return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    String spread(List<Double> values) {
      double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
      double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
      return String.format(Locale.ROOT, "%.2f-%.2f s", min, max);
    }

    long percentile(double p) {
      long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
      if (sorted.length == 0) {
        return 0;
      }
      return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** Matmul FLOPs per token from config.json: 2 x non-embedding parameters. */
    double flopsPerToken() {
      try {
        JsonNode c = new ObjectMapper().readTree(resolved.directory().resolve("config.json")
            .toFile());
        double h = c.path("hidden_size").asDouble();
        double layers = c.path("num_hidden_layers").asDouble();
        double ffn = c.path("intermediate_size").asDouble();
        double labels = c.path("id2label").size();
        return 2 * (layers * (4 * h * h + 2 * h * ffn) + h * labels);
      } catch (IOException e) {
        return 0;
      }
    }

    /** Real / computed tokens when each nlp.batch.max.records chunk is cut into buckets. */
    double paddingEfficiency() {
      int batchSize = config.batchMaxRecords();
      List<int[]> plan = new ArrayList<>();
      for (int from = 0; from < tokens.length; from += batchSize) {
        int[] chunk = Arrays.copyOfRange(tokens, from, Math.min(tokens.length, from + batchSize));
        int offset = from;
        for (int[] bucket : LengthBuckets.plan(chunk, config.inferenceMaxBatchSize(),
            config.inferenceMaxBatchTokens())) {
          plan.add(Arrays.stream(bucket).map(i -> i + offset).toArray());
        }
      }
      return LengthBuckets.paddingEfficiency(tokens, plan);
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
      return t.toString();
    }

    private String row(String name, double median, List<Double> values, double e2e) {
      return String.format(Locale.ROOT, "| %s | %.2f | %s | %.1f | %.0f | %.2f |%n", name, median,
          spread(values), events / median, totalTokens / median, median / e2e);
    }

    String details() {
      double e2eTokensPerSecond = totalTokens / median(e2eSeconds);
      double gflops = e2eTokensPerSecond * flopsPerToken() / 1e9;
      return String.format(Locale.ROOT, """
          - Machine: %d cores, %s, AVX-512: %s
          - Model: %s (sha256 %s, %s), %d labels, windows of %d tokens
          - Workload: %d events, %d tokens (mean %.1f, max %d tokens per event), %d rounds
          - Settings: batch.max.records=%d, batch.max.tokens=%d, batch.max.wait.ms=%d,\
           run batch <= %d rows / %d tokens, intra-op threads %d, stream threads %d
          - End-to-end latency (produce to consume): p50 %d ms, p95 %d ms, p99 %d ms
          - Padding efficiency (real / computed tokens, length buckets within each %d-record\
           batch): %.2f
          - Compute: about %.2f MFLOP per token -> %.2f GFLOP/s end to end, %.0f%% of an assumed\
           fp32 peak of %.0f GFLOP/s (--peak-gflops)%s
          - Peak resident memory of this JVM (VmHWM): %s
          """,
          Runtime.getRuntime().availableProcessors(), cpuModel(), hasAvx512(),
          model.identity().name(), model.identity().version(), model.identity().device(),
          model.modelDir().labels().size(), model.modelDir().maxLength(),
          events, totalTokens, (double) totalTokens / events,
          Arrays.stream(tokens).max().orElse(0), e2eSeconds.size(),
          config.batchMaxRecords(), config.batchMaxTokens(), config.batchMaxWaitMs(),
          config.inferenceMaxBatchSize(), config.inferenceMaxBatchTokens(),
          config.inferenceIntraOpThreads(), config.streamThreads(),
          percentile(0.50), percentile(0.95), percentile(0.99),
          config.batchMaxRecords(), paddingEfficiency(),
          flopsPerToken() / 1e6, gflops, 100 * gflops / peakGflops, peakGflops,
          gflops > peakGflops ? " -- above it, so the assumed peak is too low for this machine"
              : "",
          peakRss());
    }

    void print() {
      System.out.println();
      System.out.println("bench ner: end to end through Kafka vs a tight ONNX Runtime loop");
      System.out.println();
      System.out.print(table());
      System.out.println();
      System.out.print(details());
    }

    void write(Path dir) throws IOException {
      Files.createDirectories(dir);
      String stamp = Instant.now().toString().replace(':', '-');
      Path md = dir.resolve("ner-" + stamp + ".md");
      Files.writeString(md, "# bench ner, " + Instant.now() + "\n\n" + table() + "\n"
          + details());
      Map<String, Object> json = new HashMap<>();
      json.put("events", events);
      json.put("tokens", totalTokens);
      json.put("e2eSeconds", e2eSeconds);
      json.put("loopSeconds", loopSeconds);
      json.put("sortedLoopSeconds", sortedLoopSeconds);
      json.put("latencyMs", Map.of("p50", percentile(0.5), "p95", percentile(0.95),
          "p99", percentile(0.99)));
      json.put("model", model.identity().toString());
      new ObjectMapper().writerWithDefaultPrettyPrinter()
          .writeValue(dir.resolve("ner-" + stamp + ".json").toFile(), json);
      System.out.println();
      System.out.println("Report written to " + md);
    }

    private static String cpuModel() {
      try {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .filter(l -> l.startsWith("model name")).findFirst()
            .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
      } catch (IOException e) {
        return "unknown CPU";
      }
    }

    private static boolean hasAvx512() {
      try {
        return Files.readString(Path.of("/proc/cpuinfo")).contains("avx512f");
      } catch (IOException e) {
        return false;
      }
    }

    private static String peakRss() {
      try {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter(l -> l.startsWith("VmHWM")).findFirst()
            .map(l -> l.substring(6).trim()).orElse("unknown");
      } catch (IOException e) {
        return "unknown";
      }
    }
  }
}
