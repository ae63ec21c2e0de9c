package dev.nlpstreams.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nlpstreams.config.ModelPrecision;
import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.config.SummarizationConfig;
import dev.nlpstreams.config.TranslationConfig;
import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.ModelResolver;
import dev.nlpstreams.inference.seq2seq.OnnxTextGenerator;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.avro.Summary;
import dev.nlpstreams.schema.avro.SummaryOptions;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TaskOptions;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.avro.Timings;
import dev.nlpstreams.schema.avro.Translation;
import dev.nlpstreams.schema.avro.TranslationOptions;
import dev.nlpstreams.text.chunking.ChunkedText;
import dev.nlpstreams.text.generation.GenerationConfig;
import dev.nlpstreams.text.task.GeneratedText;
import dev.nlpstreams.text.task.GenerationRequest;
import dev.nlpstreams.text.task.InferenceException;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench translate} and {@code bench summarize}: seq2seq generation end to end through a real
 * broker and processor, versus the same {@link OnnxTextGenerator} in a tight batched loop in the
 * same JVM, versus transformers.js on onnxruntime-node over the same model files and thread count,
 * for greedy and beam search, measured side by side (A B C ... A B C ...) after the same warm-up.
 * Prints a table and writes a Markdown and JSON report.
 *
 * <p>The benchmark-size models have random weights, so they emit garbage until the length limit:
 * every mode runs with the same fixed {@code max_new_tokens}, and generated tokens are counted from
 * the outputs (up to and including an eos).
 */
final class GenerationBenchmark {

  private static final String TRANSFORMERS_JS_SCRIPT = "models/reference/bench_seq2seq.mjs";
  private static final String SOURCE_LANGUAGE = "en";
  private static final String TARGET_LANGUAGE = "de";
  /**
   * A bench run may be long (beam search over a bucket of long articles on a full-size model on a
   * busy machine); the default deadline could cancel it. Stays below max.poll.interval.ms / 2.
   */
  private static final String RUN_TIMEOUT_MS = "120000";

  /** What differs between the two tasks. */
  enum Kind {
    TRANSLATE("translate", "translation", "models/bench/bench-marian-en-de", 128,
        "bench-marian-en-de"),
    SUMMARIZE("summarize", "summarization", "models/bench/distilbart-cnn-6-6", 32,
        "bench-distilbart-cnn");

    final String command;
    /** Hugging Face task name (task_specific_params key, transformers.js pipeline). */
    final String hfTask;
    final String defaultModel;
    final int defaultRecords;
    final String generatorRecipe;

    Kind(String command, String hfTask, String defaultModel, int defaultRecords,
        String generatorRecipe) {
      this.command = command;
      this.hfTask = hfTask;
      this.defaultModel = defaultModel;
      this.defaultRecords = defaultRecords;
      this.generatorRecipe = generatorRecipe;
    }

    static Kind of(String command) {
      for (Kind kind : values()) {
        if (kind.command.equals(command)) {
          return kind;
        }
      }
      return null;
    }

    List<String> texts(int count) {
      return this == TRANSLATE ? BenchWorkload.translationInputs(count, 42)
          : BenchWorkload.articles(count, 42);
    }

    /** What one model input is: the processor translates sentence by sentence. */
    String unit() {
      return this == TRANSLATE ? "sentence" : "record";
    }

    /**
     * The model inputs of one record, cut exactly as the processor cuts them
     * (TranslationBatchTask: one per sentence; SummaryBatchTask: sentences packed up to the
     * budget, one chunk for the fitted bench texts).
     */
    ChunkedText pieces(String text, OnnxTextGenerator generator, int maxChunks) {
      return this == TRANSLATE
          ? ChunkedText.sentences(text, t -> generator.countTokens(request(t)),
              generator.maxSourceTokens(), maxChunks)
          : ChunkedText.plan(text, t -> generator.countTokens(request(t)),
              generator.maxSourceTokens(), maxChunks);
    }

    /** The precision the processor's models of this task load (nlp.<task>.precision). */
    ModelPrecision precision(NlpStreamsConfig config) {
      return this == TRANSLATE ? TranslationConfig.BLOCK.precision(config)
          : SummarizationConfig.BLOCK.precision(config);
    }

    GenerationRequest request(String text) {
      return this == TRANSLATE
          ? GenerationRequest.translate(text, SOURCE_LANGUAGE, TARGET_LANGUAGE)
          : GenerationRequest.summarize(text);
    }

    /** Settings that point the processor at the model and at this task only. */
    List<String> configDefaults(String model) {
      List<String> sets = new ArrayList<>(List.of(
          "--set", NlpStreamsConfig.TASKS + "=" + command,
          "--set", NlpStreamsConfig.GENERATION_RUN_TIMEOUT_MS + "=" + RUN_TIMEOUT_MS));
      if (this == TRANSLATE) {
        sets.addAll(List.of("--set", NlpStreamsConfig.TRANSLATION_MODELS + "="
            + SOURCE_LANGUAGE + "->" + TARGET_LANGUAGE + "=" + model));
      } else {
        sets.addAll(List.of("--set", NlpStreamsConfig.SUMMARIZATION_MODELS + "=" + model));
      }
      return sets;
    }

    /**
     * One input event. The search settings travel as per-record options, so one processor serves
     * greedy and beam rounds alternately (a record layer above the model's files, exactly what the
     * tight loop resolves).
     */
    byte[] event(String id, String text, int beams, int maxNewTokens) {
      TaskOptions options = this == TRANSLATE
          ? TaskOptions.newBuilder().setTranslation(TranslationOptions.newBuilder()
              .setTargetLanguage(TARGET_LANGUAGE).setNumBeams(beams).setMaxNewTokens(maxNewTokens)
              .build()).build()
          : TaskOptions.newBuilder().setSummary(SummaryOptions.newBuilder()
              .setNumBeams(beams).setMaxNewTokens(maxNewTokens).build()).build();
      return Codecs.TEXT_EVENT.encode(TextEvent.newBuilder()
          .setEventId(id)
          .setText(text)
          .setLanguage(SOURCE_LANGUAGE)
          .setTasks(List.of(this == TRANSLATE ? Task.TRANSLATE : Task.SUMMARIZE))
          .setOptions(options)
          .setAttributes(Map.of("source", "bench"))
          .build());
    }
  }

  /** Options of one run. */
  private record Options(Kind kind, Path model, int records, int rounds, List<Integer> beams,
      int maxNewTokens, Path reportDir, boolean transformersJs, String node, double peakGflops) {}

  private GenerationBenchmark() {}

  static boolean handles(String command) {
    return Kind.of(command) != null;
  }

  static int main(List<String> args) throws Exception {
    Kind kind = args.isEmpty() ? null : Kind.of(args.get(0));
    if (kind == null) {
      System.err.println(usage());
      return 2;
    }
    Path model = Path.of(kind.defaultModel);
    int records = kind.defaultRecords;
    int rounds = 3;
    List<Integer> beams = List.of(1, 4);
    int maxNewTokens = 32;
    Path reportDir = Path.of("target", "bench");
    boolean transformersJs = true;
    String node = "node";
    double peakGflops = BenchMachine.GUIDE_FP32_PEAK_GFLOPS;
    List<String> configArgs = new ArrayList<>();
    for (int i = 1; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--model" -> model = Path.of(args.get(++i));
        case "--records" -> records = Integer.parseInt(args.get(++i));
        case "--rounds" -> rounds = Integer.parseInt(args.get(++i));
        case "--beams" -> beams = Arrays.stream(args.get(++i).split(","))
            .map(String::strip).map(Integer::valueOf).distinct().toList();
        case "--max-new-tokens" -> maxNewTokens = Integer.parseInt(args.get(++i));
        case "--report-dir" -> reportDir = Path.of(args.get(++i));
        case "--no-transformers-js" -> transformersJs = false;
        case "--node" -> node = args.get(++i);
        case "--peak-gflops" -> peakGflops = Double.parseDouble(args.get(++i));
        default -> configArgs.add(args.get(i));
      }
    }
    if (records < 1 || rounds < 1 || maxNewTokens < 1 || beams.isEmpty()
        || beams.stream().anyMatch(b -> b < 1)) {
      System.err.println("--records, --rounds, --max-new-tokens and --beams must be at least 1.");
      return 2;
    }
    if (!Files.isRegularFile(model.resolve("config.json"))) {
      System.err.println("No model at " + model + ". Generate the benchmark-size model with\n"
          + "  /usr/bin/python3 models/generator/generate_models.py " + kind.generatorRecipe
          + "\n(see models/generator/README.md) or pass --model DIR (for example a directory"
          + " under models/tiny).");
      return 2;
    }
    // The bench's own settings go first, so --config and --set still override them.
    List<String> allConfig = new ArrayList<>(kind.configDefaults(model.toString()));
    allConfig.addAll(configArgs);
    NlpStreamsConfig config = Main.load(allConfig);
    return new Run(config, new Options(kind, model, records, rounds, beams, maxNewTokens,
        reportDir, transformersJs, node, peakGflops)).execute();
  }

  static String usage() {
    return "Usage: bench translate|summarize [--model DIR] [--records N] [--rounds R]"
        + " [--beams 1|4|1,4] [--max-new-tokens N] [--report-dir DIR] [--no-transformers-js]"
        + " [--node PATH] [--peak-gflops G] [--config FILE] [--set key=value ...]";
  }

  /** Seconds of every measured round of one mode, and what its outputs held. */
  private static final class Mode {
    final String name;
    final int beams;
    final List<Double> seconds = new ArrayList<>();
    long generatedTokens = -1;
    String note = "";
    /** End to end only: flushes and seconds inside flushes of every round, from the outputs. */
    final List<Double> flushes = new ArrayList<>();
    final List<Double> flushSeconds = new ArrayList<>();

    Mode(String name, int beams) {
      this.name = name;
      this.beams = beams;
    }

    boolean measured() {
      return !seconds.isEmpty();
    }
  }

  /** The outputs of one tight-loop pass, one per model input (piece) in workload order. */
  private record LoopPass(double seconds, List<GeneratedText> outputs) {
    long generatedTokens() {
      return outputs.stream().mapToLong(o -> o.tokenIds().length).sum();
    }
  }

  private static final class Run {
    private final NlpStreamsConfig config;
    private final Options options;
    private final Kind kind;
    private final List<Mode> modes = new ArrayList<>();
    private final List<Long> latencies = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> mismatches = new ArrayList<>();
    private List<String> texts;
    /** Per record: its model inputs, as the processor cuts them. */
    private List<ChunkedText> pieces;
    /** Per record: the index of its first piece in the flattened piece list. */
    private int[] firstPiece;
    /** Per piece: source tokens. */
    private int[] sourceTokens;
    private final String loadAtStart = BenchMachine.loadAverage();
    private String loadBefore;

    Run(NlpStreamsConfig config, Options options) {
      this.config = config;
      this.options = options;
      this.kind = options.kind();
    }

    int execute() throws Exception {
      // The settings the processor's generators get.
      // The loop loads the graphs of the task's precision, as the processor does.
      InferenceSettings inference = NlpStreamsApp.generationInferenceSettings(config)
          .withPrecision(kind.precision(config));
      ModelResolver.ResolvedModel model = ModelResolver.resolve(options.model().toString(),
          kind.precision(config));
      try (OnnxTextGenerator loop = OnnxTextGenerator.load(model.directory(), model.name(),
          inference)) {
        texts = fitted(loop, kind.texts(options.records()));
        pieces = new ArrayList<>(texts.size());
        firstPiece = new int[texts.size() + 1];
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
          ChunkedText chunks = kind.pieces(texts.get(i), loop, config.generationMaxChunks());
          pieces.add(chunks);
          firstPiece[i] = requests.size();
          chunks.chunks().forEach(chunk -> requests.add(kind.request(chunk)));
        }
        firstPiece[texts.size()] = requests.size();
        sourceTokens = requests.stream().mapToInt(loop::countTokens).toArray();
        Path inputs = writeInputs(requests);
        try (NlpStreamsApp app = NlpStreamsApp.start(config);
            TransformersJsDriver js = startTransformersJs(inputs, model.directory())) {
          if (!app.awaitRunning(Duration.ofSeconds(120))) {
            System.err.println("Processor did not reach RUNNING");
            return 1;
          }
          measure(app, loop, requests, js);
        }
        Report report = new Report(loop, model.directory());
        report.print();
        report.write();
      } finally {
        ModelResolver.cleanUp(model);
      }
      return 0;
    }

    private void measure(NlpStreamsApp app, OnnxTextGenerator loop,
        List<GenerationRequest> requests, TransformersJsDriver js) throws Exception {
      String outputTopic =
          kind == Kind.TRANSLATE ? config.outputTopic(Task.TRANSLATE) : config.outputTopic(Task.SUMMARIZE);
      try (BenchRoundTrip<?> e2e = roundTrip(app, outputTopic)) {
        Map<Integer, GenerationConfig> searchConfigs = new LinkedHashMap<>();
        Map<Integer, Mode[]> byBeams = new LinkedHashMap<>();
        boolean beamNote = false;
        for (int beams : options.beams()) {
          Map<String, Object> overrides = Map.of("num_beams", beams,
              "max_new_tokens", options.maxNewTokens());
          List<Map<String, Object>> layers =
              new ArrayList<>(loop.defaultLayers(requests.get(0)));
          layers.add(overrides);
          searchConfigs.put(beams, GenerationConfig.fromLayers(layers));
          String search = beams == 1 ? "greedy" : "beam " + beams;
          Mode endToEnd = new Mode("end to end (broker + processor), " + search, beams);
          Mode tight = new Mode("tight loop (OnnxTextGenerator, batches of "
              + config.batchMaxRecords() + "), " + search, beams);
          Mode single = new Mode("transformers.js, one " + kind.unit() + " per call, " + search,
              beams);
          Mode batched = new Mode("transformers.js, padded batches of " + config.batchMaxRecords()
              + " " + kind.unit() + "s, " + search, beams);
          byBeams.put(beams, new Mode[] {endToEnd, tight, single, batched});
          modes.addAll(List.of(endToEnd, tight, single, batched));
          if (beams > 1) {
            single.note = batched.note = "not supported by transformers.js "
                + TransformersJsDriver.installedVersion() + " (see below)";
            beamNote = true;
          } else if (js == null) {
            single.note = batched.note = "not run (" + transformersJsAbsence() + ")";
          }
        }
        long totalSource = Arrays.stream(sourceTokens).asLongStream().sum();
        System.err.printf(Locale.ROOT, "Workload: %d records, %d model inputs, %d source tokens,"
            + " max_new_tokens %d, searches %s; warming up every mode with one full pass...%n",
            texts.size(), requests.size(), totalSource, options.maxNewTokens(), options.beams());
        Map<Integer, LoopPass> reference = new LinkedHashMap<>();
        for (int beams : options.beams()) {
          e2e.pass(events("warmup-b" + beams, beams));
          reference.put(beams, tightLoop(loop, requests, searchConfigs.get(beams)));
          if (js != null && beams == 1) {
            js.pass("single");
            js.pass("batched");
          }
        }
        loadBefore = BenchMachine.loadAverage();
        for (int round = 0; round < options.rounds(); round++) {
          StringBuilder line = new StringBuilder("round " + (round + 1) + ":");
          for (int beams : options.beams()) {
            Mode[] m = byBeams.get(beams);
            BenchRoundTrip.Pass<?> pass = e2e.pass(events("r" + round + "-b" + beams, beams));
            m[0].seconds.add(pass.seconds());
            latencies.addAll(pass.latenciesMs());
            compare(m[0], pass, reference.get(beams));
            LoopPass loopPass = tightLoop(loop, requests, searchConfigs.get(beams));
            m[1].seconds.add(loopPass.seconds());
            m[1].generatedTokens = loopPass.generatedTokens();
            line.append(String.format(Locale.ROOT, " b%d e2e %.2f s, loop %.2f s", beams,
                pass.seconds(), loopPass.seconds()));
            if (js != null && beams == 1) {
              for (Mode jsMode : new Mode[] {m[2], m[3]}) {
                TransformersJsDriver.Result r = js.pass(jsMode == m[2] ? "single" : "batched");
                jsMode.seconds.add(r.seconds());
                jsMode.generatedTokens = r.generatedTokens();
                jsMode.note = r.generatedTokens() == loopPass.generatedTokens()
                    ? "as many generated tokens as the tight loop"
                    : String.format(Locale.ROOT, "%d generated tokens, tight loop %d",
                        r.generatedTokens(), loopPass.generatedTokens());
              }
              line.append(String.format(Locale.ROOT, ", js single %.2f s, js batched %.2f s",
                  m[2].seconds.get(round), m[3].seconds.get(round)));
            }
          }
          System.err.println(line);
        }
        if (beamNote) {
          notes.add("Beam search in transformers.js " + TransformersJsDriver.installedVersion()
              + ": PreTrainedModel.generate()"
              + " keeps only the first candidate the sampler returns at each step (\"TODO: Support"
              + " beam search\" in src/models/modeling_utils.js), so num_beams > 1 silently runs"
              + " greedy (same tokens, same shapes); it is not timed.");
        }
        if (js != null) {
          if (js.sourceTokens != totalSource) {
            notes.add(String.format(Locale.ROOT, "transformers.js tokenized the inputs into %d"
                + " source tokens, we into %d", js.sourceTokens, totalSource));
          }
          notes.add("transformers.js " + js.version + " on onnxruntime-node " + js.ortVersion
              + ", intraOpNumThreads " + config.inferenceIntraOpThreads()
              + ", files onnx/encoder_model.onnx + onnx/decoder_model_merged.onnx");
        }
      }
    }

    /**
     * The end-to-end outputs must be the tight loop's: same model, inputs and settings. Also reads
     * how the processor batched them: every output names its batch's size and inference time.
     */
    private void compare(Mode endToEnd, BenchRoundTrip.Pass<?> pass, LoopPass reference) {
      int same = 0;
      long tokens = 0;
      int received = 0;
      double flushes = 0;
      double flushMs = 0;
      String mismatch = null;
      for (Object output : pass.outputs().values()) {
        String id = eventIdOf(output);
        int i = Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
        List<GeneratedText> own = reference.outputs().subList(firstPiece[i], firstPiece[i + 1]);
        String expected = pieces.get(i).stitch(own.stream().map(GeneratedText::text).toList());
        if (textOf(output).equals(expected)) {
          same++;
        } else if (mismatch == null) {
          mismatch = String.format(Locale.ROOT, "record %d: end to end \"%s\", tight loop \"%s\"",
              i, abbreviate(textOf(output)), abbreviate(expected));
        }
        tokens += own.stream().mapToLong(o -> o.tokenIds().length).sum();
        received++;
        Timings timings = timingsOf(output);
        if (timings != null && timings.getBatchSize() > 0) {
          flushes += 1.0 / timings.getBatchSize();
          flushMs += (double) timings.getInferenceMs() / timings.getBatchSize();
        }
      }
      // Outputs carry text only; the tight loop's token counts stand in for equal outputs.
      endToEnd.generatedTokens = tokens;
      endToEnd.note = same + "/" + received + " outputs equal to the tight loop's";
      endToEnd.flushes.add(flushes);
      endToEnd.flushSeconds.add(flushMs / 1000);
      if (mismatch != null && mismatches.size() < 4) {
        mismatches.add(endToEnd.name + ", " + mismatch);
      }
    }

    private static String abbreviate(String text) {
      return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    private static String eventIdOf(Object output) {
      return output instanceof Translation t ? t.getEventId() : ((Summary) output).getEventId();
    }

    private static String textOf(Object output) {
      return output instanceof Translation t ? t.getText() : ((Summary) output).getText();
    }

    private static Timings timingsOf(Object output) {
      return output instanceof Translation t ? t.getTimings() : ((Summary) output).getTimings();
    }

    private BenchRoundTrip<?> roundTrip(NlpStreamsApp app, String outputTopic) {
      if (kind == Kind.TRANSLATE) {
        return new BenchRoundTrip<>(app.bootstrapServers(), config.inputTopic(), outputTopic,
            config.deadLetterTopic(), Codecs.TRANSLATION, Translation::getEventId);
      }
      return new BenchRoundTrip<>(app.bootstrapServers(), config.inputTopic(), outputTopic,
          config.deadLetterTopic(), Codecs.SUMMARY, Summary::getEventId);
    }

    private Map<String, byte[]> events(String prefix, int beams) {
      Map<String, byte[]> events = new LinkedHashMap<>();
      for (int i = 0; i < texts.size(); i++) {
        String id = prefix + "-" + i;
        events.put(id, kind.event(id, texts.get(i), beams, options.maxNewTokens()));
      }
      return events;
    }

    /**
     * The ceiling of our own stack: one generate() over the pieces of nlp.batch.max.records
     * records at a time in arrival order, what one full flush runs (the generator cuts each call
     * into length buckets of at most nlp.inference.max.batch.size rows itself).
     */
    private LoopPass tightLoop(OnnxTextGenerator generator, List<GenerationRequest> requests,
        GenerationConfig search) throws InferenceException {
      int batchSize = config.batchMaxRecords();
      List<GeneratedText> outputs = new ArrayList<>(requests.size());
      long start = System.nanoTime();
      for (int from = 0; from < texts.size(); from += batchSize) {
        int to = Math.min(texts.size(), from + batchSize);
        outputs.addAll(generator.generate(
            requests.subList(firstPiece[from], firstPiece[to]), search));
      }
      return new LoopPass((System.nanoTime() - start) / 1e9, outputs);
    }

    /**
     * Texts cut (at word ends) to what the model reads in one piece, so the processor runs each
     * record as one chunk, exactly the work of the tight loop.
     */
    private List<String> fitted(OnnxTextGenerator generator, List<String> raw) {
      int max = generator.maxSourceTokens();
      List<String> out = new ArrayList<>(raw.size());
      for (String text : raw) {
        if (generator.countTokens(kind.request(text)) <= max) {
          out.add(text);
          continue;
        }
        String[] words = text.split(" ");
        int lo = 1;
        int hi = words.length - 1;
        while (lo < hi) {
          int mid = (lo + hi + 1) / 2;
          String candidate = String.join(" ", Arrays.copyOf(words, mid));
          if (generator.countTokens(kind.request(candidate)) <= max) {
            lo = mid;
          } else {
            hi = mid - 1;
          }
        }
        out.add(String.join(" ", Arrays.copyOf(words, lo)));
      }
      return out;
    }

    /** The model inputs for transformers.js, one JSON line per piece, with its record. */
    private Path writeInputs(List<GenerationRequest> requests) throws IOException {
      Files.createDirectories(options.reportDir());
      Path file = options.reportDir().resolve(kind.command + "-inputs.jsonl");
      ObjectMapper json = new ObjectMapper();
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        for (int i = 0; i < texts.size(); i++) {
          for (int p = firstPiece[i]; p < firstPiece[i + 1]; p++) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("record", i);
            line.put("text", requests.get(p).text());
            out.write(json.writeValueAsString(line));
            out.write('\n');
          }
        }
      }
      return file;
    }

    private String transformersJsAbsence() {
      if (!options.transformersJs()) {
        return "--no-transformers-js";
      }
      if (!Files.isRegularFile(Path.of(TRANSFORMERS_JS_SCRIPT))) {
        return TRANSFORMERS_JS_SCRIPT + " not found; run from the repository root";
      }
      if (!Files.isDirectory(TransformersJsDriver.PACKAGE)) {
        return "run npm ci --ignore-scripts in models/reference";
      }
      return "node could not be started";
    }

    /** Started only when greedy search is measured: it has no beam search to compare. */
    private TransformersJsDriver startTransformersJs(Path inputs, Path modelDir) {
      if (!options.beams().contains(1) || !options.transformersJs()
          || !Files.isRegularFile(Path.of(TRANSFORMERS_JS_SCRIPT))
          || !Files.isDirectory(TransformersJsDriver.PACKAGE)) {
        return null;
      }
      try {
        return TransformersJsDriver.start(List.of(options.node(), TRANSFORMERS_JS_SCRIPT, "--serve",
            "--task", kind.hfTask, "--model", modelDir.toString(), "--inputs", inputs.toString(),
            "--threads", String.valueOf(config.inferenceIntraOpThreads()),
            "--max-new-tokens", String.valueOf(options.maxNewTokens()),
            "--batch-size", String.valueOf(config.batchMaxRecords()),
            "--dtype", kind.precision(config) == ModelPrecision.INT8 ? "q8" : "fp32"));
      } catch (IOException | RuntimeException e) {
        System.err.println("transformers.js comparison skipped: " + e.getMessage());
        return null;
      }
    }

    /** The table, the details and the JSON of one run. */
    private final class Report {
      private final OnnxTextGenerator model;
      private final Path modelDir;

      Report(OnnxTextGenerator model, Path modelDir) {
        this.model = model;
        this.modelDir = modelDir;
      }

      private Mode tightLoopOf(int beams) {
        return modes.stream().filter(m -> m.beams == beams && m.name.startsWith("tight loop"))
            .findFirst().orElseThrow();
      }

      String table() {
        StringBuilder t = new StringBuilder();
        t.append("| mode | median s | spread | records/s | generated tokens/s"
            + " | ÷ tight loop (tokens/s) | notes |\n");
        t.append("|---|---|---|---|---|---|---|\n");
        for (Mode m : modes) {
          if (!m.measured()) {
            t.append(String.format(Locale.ROOT, "| %s | - | - | - | - | - | %s |%n", m.name,
                m.note));
            continue;
          }
          double median = BenchStats.median(m.seconds);
          Mode loop = tightLoopOf(m.beams);
          double loopRate = loop.generatedTokens / BenchStats.median(loop.seconds);
          double rate = m.generatedTokens / median;
          t.append(String.format(Locale.ROOT, "| %s | %.2f | %s | %.1f | %.0f | %.2f | %s |%n",
              m.name, median, BenchStats.spread(m.seconds), texts.size() / median, rate,
              rate / loopRate, m.note.isEmpty() ? "" : m.note));
        }
        return t.toString();
      }

      String details() {
        int[] sorted = sourceTokens.clone();
        Arrays.sort(sorted);
        long total = Arrays.stream(sourceTokens).asLongStream().sum();
        Flops flops = Flops.of(modelDir, kind.precision(config));
        StringBuilder d = new StringBuilder();
        d.append(BenchMachine.describe());
        d.append(String.format(Locale.ROOT,
            "- Load average (1/5/15 min): %s at the start, %s after the warm-up, %s at the end"
            + " (the bench itself keeps about %d threads busy)%n", loadAtStart, loadBefore,
            BenchMachine.loadAverage(), config.inferenceIntraOpThreads()));
        d.append(String.format(Locale.ROOT, "- Model: %s (content hash %s, %s), %s%n",
            model.identity().name(), model.identity().version(), model.identity().device(),
            flops.shape()));
        d.append(String.format(Locale.ROOT, "- Workload: %d synthetic records (BenchWorkload,"
            + " seed 42) = %d model inputs (%ss, cut as the processor cuts them), %d source"
            + " tokens: median %d, p90 %d, max %d per input; %d rounds; max_new_tokens %d per"
            + " input for every mode (random weights: outputs are garbage, and most run to the"
            + " limit); generated tokens counted from the outputs up to and including an eos%n",
            texts.size(), sourceTokens.length, kind.unit(), total, sorted[sorted.length / 2],
            sorted[(int) Math.min(sorted.length - 1, Math.ceil(0.9 * sorted.length) - 1)],
            sorted[sorted.length - 1], options.rounds(), options.maxNewTokens()));
        d.append(String.format(Locale.ROOT, "- Settings: batch.max.records=%d, batch.max.tokens=%d,"
            + " batch.max.wait.ms=%d, run batch <= %d rows / %d tokens, intra-op threads %d,"
            + " stream threads %d; searches sent as per-record options (num_beams,"
            + " max_new_tokens)%n", config.batchMaxRecords(), config.batchMaxTokens(),
            config.batchMaxWaitMs(), config.inferenceMaxBatchSize(),
            config.inferenceMaxBatchTokens(), config.inferenceIntraOpThreads(),
            config.streamThreads()));
        int[] bounds = new int[(texts.size() + config.batchMaxRecords() - 1)
            / config.batchMaxRecords() + 1];
        for (int b = 0; b < bounds.length; b++) {
          bounds[b] = firstPiece[Math.min(texts.size(), b * config.batchMaxRecords())];
        }
        d.append(String.format(Locale.ROOT, "- Source padding efficiency of the tight loop (real /"
            + " encoded source tokens: generation runs within each %d-record batch, the"
            + " encoder's length buckets within each run): %.2f%n",
            config.batchMaxRecords(), BenchWorkload.encoderPaddingEfficiency(sourceTokens, bounds,
                config.inferenceMaxBatchSize(), config.inferenceMaxBatchTokens(),
                dev.nlpstreams.inference.seq2seq.OnnxTextGenerator.runOverheadTokens(
                    options.maxNewTokens() + 1))));
        d.append(String.format(Locale.ROOT, "- End-to-end latency (produce to consume, all"
            + " records sent in one burst): p50 %d ms, p95 %d ms, p99 %d ms%n",
            BenchStats.percentile(latencies, 0.5), BenchStats.percentile(latencies, 0.95),
            BenchStats.percentile(latencies, 0.99)));
        for (Mode m : modes) {
          if (m.measured() && m.name.startsWith("tight loop")) {
            double gflops = flops.total(total, m.generatedTokens, m.beams)
                / BenchStats.median(m.seconds) / 1e9;
            d.append(String.format(Locale.ROOT, "- Compute, %s: about %.1f GFLOP/s (encoder %.1f"
                + " MFLOP per source token, decoder %.1f MFLOP per row step, beams x generated"
                + " tokens row steps, attention scores left out), %.0f%% of the measured fp32 peak"
                + " of %.0f GFLOP/s (--peak-gflops)%n", m.name, gflops,
                flops.encoderPerToken() / 1e6, flops.decoderPerStep() / 1e6,
                100 * gflops / options.peakGflops(), options.peakGflops()));
          }
        }
        for (Mode m : modes) {
          if (m.measured() && !m.flushes.isEmpty()) {
            double flushes = BenchStats.median(m.flushes);
            d.append(String.format(Locale.ROOT, "- Processor batching, %s (median round, from the"
                + " outputs' timings): %.1f flushes of %.1f records on average, %.2f s inside"
                + " flushes of %.2f s end to end%n", m.name, flushes, texts.size() / flushes,
                BenchStats.median(m.flushSeconds), BenchStats.median(m.seconds)));
          }
        }
        for (String mismatch : mismatches) {
          d.append("- First differing output, ").append(mismatch).append('\n');
        }
        for (String note : notes) {
          d.append("- ").append(note).append('\n');
        }
        d.append("- Peak resident memory of this JVM (VmHWM; processor, tight loop and both model"
            + " copies): ").append(BenchMachine.peakRss()).append('\n');
        return d.toString();
      }

      void print() {
        System.out.println();
        System.out.println("bench " + kind.command + ": end to end through Kafka vs a tight ONNX"
            + " Runtime loop vs transformers.js");
        System.out.println();
        System.out.print(table());
        System.out.println();
        System.out.print(details());
      }

      void write() throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("task", kind.command);
        json.put("records", texts.size());
        json.put("modelInputs", sourceTokens.length);
        json.put("sourceTokens", Arrays.stream(sourceTokens).asLongStream().sum());
        json.put("maxNewTokens", options.maxNewTokens());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Mode m : modes) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("mode", m.name);
          row.put("beams", m.beams);
          row.put("seconds", m.seconds);
          if (m.measured()) {
            row.put("medianSeconds", BenchStats.median(m.seconds));
            row.put("generatedTokens", m.generatedTokens);
          }
          row.put("note", m.note);
          if (!m.flushes.isEmpty()) {
            row.put("flushes", m.flushes);
            row.put("secondsInFlushes", m.flushSeconds);
          }
          rows.add(row);
        }
        json.put("modes", rows);
        json.put("latencyMs", Map.of("p50", BenchStats.percentile(latencies, 0.5),
            "p95", BenchStats.percentile(latencies, 0.95),
            "p99", BenchStats.percentile(latencies, 0.99)));
        json.put("model", model.identity().toString());
        json.put("machine", BenchMachine.json());
        json.put("loadAverageAtStart", loadAtStart);
        json.put("loadAverageAfterWarmup", loadBefore);
        json.put("loadAverageAfter", BenchMachine.loadAverage());
        json.put("notes", notes);
        json.put("mismatches", mismatches);
        Path md = BenchReportFiles.write(options.reportDir(), kind.command,
            "bench " + kind.command, table() + "\n" + details(), json);
        System.out.println();
        System.out.println("Report written to " + md);
      }
    }
  }

  /** Matmul FLOPs of a BART-family (Marian, BART) model from its config.json. */
  private record Flops(String shape, double encoderPerToken, double decoderPerStep) {
    static Flops of(Path dir, ModelPrecision precision) {
      try {
        JsonNode c = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        double d = c.path("d_model").asDouble();
        double encoderLayers = c.path("encoder_layers").asDouble();
        double decoderLayers = c.path("decoder_layers").asDouble();
        double encoderFfn = c.path("encoder_ffn_dim").asDouble();
        double decoderFfn = c.path("decoder_ffn_dim").asDouble();
        double vocab = c.has("decoder_vocab_size") ? c.path("decoder_vocab_size").asDouble()
            : c.path("vocab_size").asDouble();
        String shape = String.format(Locale.ROOT, "%s, d_model %.0f, %.0f+%.0f layers, vocab %.0f,"
            + " %s", c.path("model_type").asText("?"), d, encoderLayers, decoderLayers, vocab,
            precision);
        // A cached decoder step projects self-attention Q/K/V/O and cross-attention Q/O (the
        // cross K/V are computed once per source), then the FFN and the LM head.
        return new Flops(shape, 2 * encoderLayers * (4 * d * d + 2 * d * encoderFfn),
            2 * (decoderLayers * (6 * d * d + 2 * d * decoderFfn) + d * vocab));
      } catch (IOException e) {
        return new Flops("shape unknown", 0, 0);
      }
    }

    double total(long sourceTokens, long generatedTokens, int beams) {
      return sourceTokens * encoderPerToken + (double) beams * generatedTokens * decoderPerStep;
    }
  }
}
