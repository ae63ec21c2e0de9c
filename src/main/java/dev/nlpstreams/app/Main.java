package dev.nlpstreams.app;

import dev.nlpstreams.app.console.ConsoleConsume;
import dev.nlpstreams.app.console.ConsoleProduce;
import dev.nlpstreams.app.tasks.TaskModules;
import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.metrics.NlpMeters;
import dev.nlpstreams.streams.NlpTopology;
import dev.nlpstreams.streams.InferenceEngines;
import dev.nlpstreams.streams.TopologyIo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * Command line entry point: {@code run}, {@code demo}, {@code describe}, {@code config},
 * {@code bench}, {@code accuracy}.
 */
public final class Main {

  private static final String USAGE = """
      Usage: java -jar target/nlp-streams.jar <command> [--config FILE] [--set key=value ...]

      Commands:
        run        Run the processor until stopped (Ctrl-C). Without bootstrap.servers it starts
                   an embedded single-node Kafka broker (KRaft) and creates the topics.
        demo       Start the processor on an embedded broker, send sample sentences, print the
                   entities as they arrive, and exit.
        describe   Print the Kafka Streams topology.
        config     Print the reference of every nlp.* setting (Markdown).
        produce [--topic T] [--value-schema-file AVSC | --value-schema-latest]
                   JSON lines from standard input to the input topic, in the configured framing;
                   with nlp.input.format=mapped and a registry, optionally as records of your own
                   Avro schema (a file, or the latest under <topic>-value) in Confluent framing.
        consume [--topic T] [--from-beginning] [--max N] [--timeout-ms MS]
                   A topic (default: the dead letters) as JSON lines, in either framing.
        bench ner  Benchmark NER end to end through a broker against a tight ONNX Runtime loop
                   (see README, Benchmarks).
        bench translate, bench summarize
                   Benchmark seq2seq generation end to end, in a tight loop and in
                   transformers.js, greedy and beam 4 (see README, Benchmarks).
        bench finished-rows
                   Batched decoding: drop finished sequences from the batch, or keep them padded.
        bench report [--rounds N] [--batches 1,4,16,32] [--no-transformers-js]
                   Regenerates docs/benchmarks.md and its plots: the bench models in fp32 and
                   int8 against transformers.js, by batch size, fraction of peak, targets.
        bench session [--task translate|ner] [--model DIR] [--rounds N]
                   ONNX Runtime session options (optimization level, intra-op threads, spinning,
                   CPU arena, memory pattern) against the defaults, in alternating rounds.
        bench ops [--model DIR] [--precision fp32|int8] [--batch N] [--tokens T] [--runs N]
                   Where an encoder model's run goes, by operator type (ONNX Runtime's
                   profiler), and the matrix products' GFLOP/s against the fp32 peak.
        accuracy [--ner-model DIR] [--translation-model DIR] [--out FILE.md]
                   fp32 against int8 (onnx/*_quantized.onnx) of the same model: NER entity F1
                   on the held-out synthetic set, translation exact match and chrF.
        soak       Run the processor for a while (default 20 min) under steady traffic of every
                   task; report throughput, lag and resident-memory drift with a PNG plot.

      Settings come from --config FILE (Java properties), then environment variables
      (NLP_STREAMS_BATCH_MAX_RECORDS sets nlp.batch.max.records; KAFKA_BOOTSTRAP_SERVERS sets
      bootstrap.servers), then --set key=value. Keys without the nlp. prefix go to Kafka Streams.
      A container image's own defaults (-Dnlp-streams.defaults=FILE) come before all of them.
      """;

  private Main() {}

  public static void main(String[] args) throws Exception {
    System.exit(execute(args));
  }

  static int execute(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
      System.out.print(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String command = args[0];
    List<String> rest = new ArrayList<>(List.of(args).subList(1, args.length));
    try {
      return switch (command) {
        case "run" -> run(load(rest));
        case "demo" -> Demo.run(load(rest), System.out, Duration.ofMinutes(3));
        case "describe" -> describe(load(rest));
        case "soak" -> SoakCommand.main(rest);
        case "accuracy" -> AccuracyReport.main(rest, System.out);
        case "produce" -> ConsoleProduce.run(rest, Main::load, System.in, System.out, System.err);
        case "consume" -> ConsoleConsume.run(rest, Main::load, System.out, System.err);
        case "config" -> {
          System.out.print(NlpStreamsConfig.markdownReference());
          yield 0;
        }
        case "bench" -> !rest.isEmpty() && rest.get(0).equals("finished-rows")
            ? FinishedRowsBenchmark.main(rest.subList(1, rest.size()))
            : !rest.isEmpty() && rest.get(0).equals("report")
            ? BenchReport.main(rest.subList(1, rest.size()))
            : !rest.isEmpty() && rest.get(0).equals("session")
            ? SessionTuningBenchmark.main(rest.subList(1, rest.size()))
            : !rest.isEmpty() && rest.get(0).equals("ops")
            ? OperatorProfileBenchmark.main(rest.subList(1, rest.size()))
            : !rest.isEmpty() && GenerationBenchmark.handles(rest.get(0))
            ? GenerationBenchmark.main(rest) : NerBenchmark.main(rest);
        default -> {
          System.err.println("Unknown command '" + command + "'.\n");
          System.err.print(USAGE);
          yield 2;
        }
      };
    } catch (ConfigException | IllegalArgumentException e) {
      System.err.println("Configuration error: " + e.getMessage());
      return 2;
    }
  }

  /** Parses --config FILE and --set key=value (consuming them from {@code args}). */
  static NlpStreamsConfig load(List<String> args) {
    Path file = null;
    Map<String, String> overrides = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--config") && i + 1 < args.size()) {
        file = Path.of(args.get(++i));
      } else if (arg.equals("--set") && i + 1 < args.size()) {
        String pair = args.get(++i);
        int eq = pair.indexOf('=');
        if (eq < 1) {
          throw new IllegalArgumentException("--set expects key=value, got '" + pair + "'");
        }
        overrides.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      } else {
        throw new IllegalArgumentException("Unexpected argument '" + arg + "'");
      }
    }
    String defaults = System.getProperty(NlpStreamsConfig.DEFAULTS_FILE_PROPERTY);
    return NlpStreamsConfig.load(defaults == null || defaults.isBlank() ? null : Path.of(defaults),
        file, System.getenv(), overrides);
  }

  private static int run(NlpStreamsConfig config) throws InterruptedException {
    // SIGTERM / Ctrl-C: during start-up an immediate exit, after it a clean, bounded close (see
    // NlpStreamsApp#close) before the JVM exits.
    ShutdownSignals.Started signals = ShutdownSignals.beforeStart();
    ServedProcessor app = ServedProcessor.start(config);
    signals.started(app);
    // Returns only when Kafka Streams gave up (repeated stream-thread failures): exit non-zero so
    // that a supervisor (Kubernetes, systemd) restarts the process. Close here, not in a hook that
    // races the JVM's other hooks (see ShutdownSignals).
    app.awaitFailure();
    System.err.println("nlp-streams: Kafka Streams shut down after repeated failures; exiting.");
    app.close();
    return 1;
  }

  private static int describe(NlpStreamsConfig config) {
    // The topology's shape does not depend on the models: tasks are created when it runs.
    NlpTopology.Settings settings = NlpStreamsApp.topologySettings(config);
    System.out.print(NlpTopology.build(settings, TaskModules.stagesWithoutModels(config, settings),
        TopologyIo.singleObject(), InferenceEngines.direct(), NlpMeters.none()).describe());
    return 0;
  }
}
