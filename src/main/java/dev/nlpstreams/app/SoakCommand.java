package dev.nlpstreams.app;

import dev.nlpstreams.app.embedded.EmbeddedKafkaBroker;
import dev.nlpstreams.app.tasks.TaskDemo;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code soak}: runs the processor as its own JVM against an embedded broker for a given time with
 * steady traffic of all three tasks, and samples throughput, lag and the processor's resident
 * memory. Prints a table, writes Markdown + JSON + a CSV and a PNG plot to {@code target/soak/},
 * and reports the memory drift after warm-up (the reliability target is under 5%).
 *
 * <pre>java -jar target/nlp-streams.jar soak --minutes 20 --rate 60</pre>
 */
final class SoakCommand {

  private static final String USAGE = """
      Usage: java -jar target/nlp-streams.jar soak [--minutes M] [--rate EVENTS_PER_S]
                                                   [--sample-seconds S] [--heap SIZE]
                                                   [--set key=value ...]
        Runs the processor (its own JVM) on an embedded broker for M minutes (default 20) with
        steady NER, translation and summary traffic; samples throughput, lag and resident memory
        every S seconds (default 10); writes target/soak/. The processor gets a fixed,
        pre-touched heap (default 768m), so its resident memory moves only with native memory.
      """;

  private SoakCommand() {}

  static int main(List<String> args) throws Exception {
    double minutes = 20;
    int rate = 60;
    int sampleSeconds = 10;
    String heap = "768m";
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--minutes" -> minutes = Double.parseDouble(args.get(++i));
        case "--rate" -> rate = Integer.parseInt(args.get(++i));
        case "--sample-seconds" -> sampleSeconds = Integer.parseInt(args.get(++i));
        case "--heap" -> heap = args.get(++i);
        case "--set" -> {
          String[] kv = args.get(++i).split("=", 2);
          overrides.put(kv[0], kv[1]);
        }
        default -> {
          System.err.print(USAGE);
          return 2;
        }
      }
    }
    return run(Duration.ofMillis((long) (minutes * 60_000)), rate, sampleSeconds, heap,
        overrides);
  }

  /** One sample of the run. */
  record Sample(double minutes, long produced, long consumed, double eventsPerSecond, long lag,
      long rssKb) {}

  private static int run(Duration duration, int rate, int sampleSeconds, String heap,
      Map<String, String> overrides) throws Exception {
    Path dir = Path.of("target", "soak");
    Files.createDirectories(dir);
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().numPartitions(6)
        .shutdownHook(true).build()) {
      String bootstrap = broker.start();
      Map<String, Integer> topics = new LinkedHashMap<>();
      for (String t : List.of("soak-in", "soak-entities", "soak-translations", "soak-summaries",
          "soak-dlq")) {
        topics.put(t, 6);
      }
      broker.createTopics(topics);
      Properties config = new Properties();
      config.putAll(Map.of("bootstrap.servers", bootstrap, "application.id", "nlp-soak",
          "processing.guarantee", "exactly_once_v2", "state.dir",
          dir.resolve("state").toAbsolutePath().toString(), "nlp.input.topic", "soak-in",
          "nlp.entities.topic", "soak-entities", "nlp.translations.topic", "soak-translations",
          "nlp.summaries.topic", "soak-summaries", "nlp.dead.letter.topic", "soak-dlq"));
      config.putAll(overrides);
      Path configFile = dir.resolve("soak.properties");
      try (var out = Files.newBufferedWriter(configFile)) {
        config.store(out, "soak");
      }
      Path jar = Path.of(SoakCommand.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
      // A fixed, pre-touched heap: resident memory then moves only with native allocations
      // (ONNX Runtime arenas, tensors, tokenizers, threads), which is what a leak would show in,
      // instead of with the heap growing towards a default maximum of a quarter of the machine.
      Process processor = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms" + heap,
          "-Xmx" + heap, "-XX:+AlwaysPreTouch", "-jar", jar.toString(), "run", "--config",
          configFile.toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("processor.log").toFile()).start();
      try {
        return soak(bootstrap, processor, duration, rate, sampleSeconds, heap, dir);
      } finally {
        processor.destroy();
        if (!processor.waitFor(60, TimeUnit.SECONDS)) {
          processor.destroyForcibly();
        }
      }
    }
  }

  private static int soak(String bootstrap, Process processor, Duration duration, int rate,
      int sampleSeconds, String heap, Path dir) throws Exception {
    AtomicLong produced = new AtomicLong();
    AtomicLong consumed = new AtomicLong();
    Map<String, Object> producerProps = new HashMap<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"));
    Map<String, Object> consumerProps = new HashMap<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.GROUP_ID_CONFIG, "soak-counter",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
    List<Sample> samples = new ArrayList<>();
    long started = System.nanoTime();
    long end = started + duration.toNanos();
    java.util.concurrent.atomic.AtomicBoolean counting =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    Thread counter = new Thread(() -> {
      try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps,
          new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer.subscribe(List.of("soak-entities", "soak-translations", "soak-summaries",
            "soak-dlq"));
        while (counting.get()) {
          for (ConsumerRecord<byte[], byte[]> ignored : consumer.poll(Duration.ofMillis(200))) {
            consumed.incrementAndGet();
          }
        }
      }
    }, "soak-counter");
    counter.setDaemon(true);
    counter.start();
    List<TaskDemo.Sample> mix = SampleEvents.samples(java.util.EnumSet.of(Task.NER,
        Task.TRANSLATE, Task.SUMMARIZE));
    System.out.printf("Soak: %s at %d events/s, sampling every %d s; processor pid %d%n",
        duration, rate, sampleSeconds, processor.pid());
    System.out.println("| minute | produced | consumed | events/s | lag | processor RSS MB |");
    System.out.println("|---|---|---|---|---|---|");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps,
        new ByteArraySerializer(), new ByteArraySerializer())) {
      long nextSample = started + TimeUnit.SECONDS.toNanos(sampleSeconds);
      long lastConsumed = 0;
      long lastSampleAt = started;
      long n = 0;
      while (System.nanoTime() < end && processor.isAlive()) {
        long due = started + n * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        // Each sample asks for one task, so each event has exactly one output (or dead letter).
        TaskDemo.Sample sample = mix.get((int) (n % mix.size()));
        TextEvent event = TextEvent.newBuilder(sample.event()).setEventId("soak-" + n).build();
        producer.send(new ProducerRecord<>("soak-in",
            event.getEventId().getBytes(StandardCharsets.UTF_8), Codecs.TEXT_EVENT.encode(event)));
        produced.incrementAndGet();
        n++;
        long now = System.nanoTime();
        if (now >= nextSample) {
          long c = consumed.get();
          double perSecond = (c - lastConsumed) / ((now - lastSampleAt) / 1e9);
          Sample s = new Sample((now - started) / 60e9, produced.get(), c, perSecond,
              produced.get() - c, rssKb(processor.pid()));
          samples.add(s);
          System.out.printf("| %.1f | %d | %d | %.1f | %d | %.1f |%n", s.minutes(), s.produced(),
              s.consumed(), s.eventsPerSecond(), s.lag(), s.rssKb() / 1024.0);
          lastConsumed = c;
          lastSampleAt = now;
          nextSample += TimeUnit.SECONDS.toNanos(sampleSeconds);
        }
      }
    } finally {
      counting.set(false);
      counter.join(10_000);
    }
    if (!processor.isAlive()) {
      System.err.println("The processor exited during the soak; see " + dir.resolve(
          "processor.log"));
      return 1;
    }
    return report(samples, duration, rate, heap, dir);
  }

  private static long rssKb(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream()
          .filter(l -> l.startsWith("VmRSS:"))
          .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1);
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Drift: resident memory at the end against resident memory once warmed up (the median of the
   * samples in the second quarter of the run), so start-up growth is not counted.
   */
  static double drift(List<Sample> samples) {
    int n = samples.size();
    if (n < 8) {
      return Double.NaN;
    }
    double warm = median(samples.subList(n / 4, n / 2));
    double last = median(samples.subList(n - Math.max(2, n / 8), n));
    return (last - warm) / warm;
  }

  private static double median(List<Sample> samples) {
    long[] rss = samples.stream().mapToLong(Sample::rssKb).sorted().toArray();
    return rss.length % 2 == 1 ? rss[rss.length / 2]
        : (rss[rss.length / 2 - 1] + rss[rss.length / 2]) / 2.0;
  }

  private static int report(List<Sample> samples, Duration duration, int rate, String heap,
      Path dir)
      throws IOException {
    double drift = drift(samples);
    StringBuilder csv = new StringBuilder("minutes,produced,consumed,events_per_s,lag,rss_kb\n");
    for (Sample s : samples) {
      csv.append(String.format(java.util.Locale.ROOT, "%.3f,%d,%d,%.2f,%d,%d%n", s.minutes(),
          s.produced(), s.consumed(), s.eventsPerSecond(), s.lag(), s.rssKb()));
    }
    Files.writeString(dir.resolve("soak.csv"), csv);
    Path png = dir.resolve("soak-memory.png");
    LineChart.write(png, "Processor resident memory (MB) and throughput (events/s) over "
        + duration.toMinutes() + " min", samples.stream().map(Sample::minutes).toList(),
        Map.of("RSS MB", samples.stream().map(s -> s.rssKb() / 1024.0).toList(),
            "events/s", samples.stream().map(Sample::eventsPerSecond).toList()));
    String summary = String.format(java.util.Locale.ROOT,
        "- Machine: %d cores, %s%n- Workload: %d events/s, NER + translation + summary mix,"
            + " exactly_once_v2, embedded broker; processor heap fixed at %s (pre-touched)%n- Samples: %d over %s%n- Resident memory"
            + " drift after warm-up: %+.2f%% (target under 5%%)%n- Plot: %s, data: %s%n",
        BenchMachine.cores(), BenchMachine.cpuModel(), rate, heap, samples.size(), duration,
        drift * 100, png.getFileName(), "soak.csv");
    System.out.print(summary);
    Map<String, Object> json = new LinkedHashMap<>(BenchMachine.json());
    json.put("rate", rate);
    json.put("durationSeconds", duration.toSeconds());
    json.put("drift", drift);
    json.put("samples", samples);
    Path md = BenchReportFiles.write(dir, "soak", "Soak", summary, json);
    System.out.println("Report: " + md);
    return Double.isNaN(drift) || Math.abs(drift) < 0.05 ? 0 : 1;
  }
}
