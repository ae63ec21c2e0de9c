package dev.nlpstreams.inference.seq2seq;

import dev.nlpstreams.inference.ModelFiles;
import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.ModelLoadException;
import dev.nlpstreams.text.batch.LengthBuckets;
import dev.nlpstreams.text.generation.GenerationConfig;
import dev.nlpstreams.text.task.GeneratedText;
import dev.nlpstreams.text.task.GenerationRequest;
import dev.nlpstreams.text.task.InferenceException;
import dev.nlpstreams.text.task.ModelIdentity;
import dev.nlpstreams.text.task.TextGenerator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TextGenerator} over an ONNX seq2seq export (Marian, BART, T5, M2M-100, mBART-50, NLLB).
 * The family conventions come from the files: T5 task prefixes and per-task settings from
 * config.json, language tokens from the tokenizer's special tokens, the source language placed
 * where the tokenizer's template puts it and each row's target language forced as its first
 * generated token. Requests are cut into length buckets; each bucket is one encoder run and one
 * search under the run deadline.
 */
public final class OnnxTextGenerator implements TextGenerator {

  private static final Logger LOG = LoggerFactory.getLogger(OnnxTextGenerator.class);

  private final Seq2SeqModel model;
  private final SourceEncoder sources;
  private final InferenceSettings settings;
  private final ModelIdentity identity;
  /** Learned decoder positions, or 0 when the model has none. */
  private final int decoderPositions;

  private OnnxTextGenerator(Seq2SeqModel model, InferenceSettings settings,
      ModelIdentity identity) {
    this.model = model;
    Object positions = model.dir().config().get("max_position_embeddings");
    // T5 (relative attention) has no such limit.
    this.decoderPositions = positions instanceof Number n && n.intValue() > 0 ? n.intValue() : 0;
    this.settings = settings;
    this.identity = identity;
    this.sources = new SourceEncoder(model::ids, model.conventions());
  }

  /**
   * Loads a model directory under its configured name, running the merged decoder when the export
   * has one. The identity's version is a content hash of the files that shape the output.
   */
  public static OnnxTextGenerator load(Path directory, String name, InferenceSettings settings) {
    return load(directory, name, null, settings);
  }

  /** As {@link #load(Path, String, InferenceSettings)} with a chosen decoder layout. */
  public static OnnxTextGenerator load(Path directory, String name,
      Seq2SeqModelDir.DecoderLayout layout, InferenceSettings settings) {
    Seq2SeqModel model = Seq2SeqModel.load(directory, layout, settings);
    try {
      String version = contentHash(model.dir());
      OnnxTextGenerator generator = new OnnxTextGenerator(model, settings,
          new ModelIdentity(name, version, model.device()));
      Seq2SeqConventions c = model.conventions();
      LOG.info("Loaded seq2seq model {} ({}, {} {}, {} decoder, source template {}, up to {}"
          + " source tokens{}{}) on {}", name, version, settings.precision(),
          model.dir().config().get("model_type"),
          model.layout().toString().toLowerCase(Locale.ROOT), c.template(),
          c.maxSourceTokens(),
          c.languages().map(l -> ", " + l.languages().size() + " languages").orElse(""),
          c.prefixes().pairs().isEmpty() ? "" : ", task prefixes for " + c.prefixes().pairs(),
          model.device());
      return generator;
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * Runs the model once on a short text (two new tokens, greedy), so that the first real batch
   * does not pay for ONNX Runtime's lazy initialisation (allocator arenas, kernel choice).
   */
  public void warmUp() {
    List<Map<String, Object>> layers = new java.util.ArrayList<>(model.defaultLayers());
    layers.add(Map.of("max_new_tokens", 2, "num_beams", 1, "min_length", 0, "min_new_tokens", 0));
    model.generate(List.of("Warm up."), GenerationConfig.fromLayers(layers));
  }

  /** Tells {@code listener} about every generation run from now on (the application's metrics). */
  public void onModelRun(dev.nlpstreams.text.task.ModelRunListener listener) {
    model.onModelRun(identity.name(), listener);
  }

  /** The underlying model, for callers that drive it with plain texts. */
  public Seq2SeqModel model() {
    return model;
  }

  @Override
  public List<GeneratedText> generate(List<GenerationRequest> requests, GenerationConfig config)
      throws InferenceException {
    return generate(requests, config, false, settings.runTimeoutMs());
  }

  @Override
  public List<GeneratedText> generate(List<GenerationRequest> requests, GenerationConfig config,
      long timeoutMs) throws InferenceException {
    return generate(requests, config, false, timeoutMs);
  }

  /** As {@link #generate(List, GenerationConfig)}; {@code oneBatch} skips the length buckets. */
  List<GeneratedText> generate(List<GenerationRequest> requests, GenerationConfig config,
      boolean oneBatch) throws InferenceException {
    return generate(requests, config, oneBatch, settings.runTimeoutMs());
  }

  private List<GeneratedText> generate(List<GenerationRequest> requests, GenerationConfig config,
      boolean oneBatch, long timeoutMs) throws InferenceException {
    List<long[]> ids = new ArrayList<>(requests.size());
    List<GenerationConfig> configs = new ArrayList<>(requests.size());
    int[] lengths = new int[requests.size()];
    for (int i = 0; i < requests.size(); i++) {
      GenerationRequest request = requests.get(i);
      SourceEncoder.Source source = sources.encode(request);
      int max = maxSourceTokens();
      if (source.ids().length > max) {
        throw new IllegalArgumentException("Request " + i + " has " + source.ids().length
            + " source tokens but " + identity.name() + " reads at most " + max + "; split longer"
            + " texts before generating (TextGenerator.maxSourceTokens).");
      }
      // A decoder with learned positions cannot generate past them: cap the length there and say
      // so, rather than let ONNX Runtime fail the whole run.
      GenerationConfig rowConfig = decoderPositions > 0
          ? config.withMaxLengthAtMost(decoderPositions) : config;
      if (source.forcedFirstToken().isPresent()) {
        rowConfig = rowConfig.withForcedBosTokenId(source.forcedFirstToken().getAsInt());
      } else if (sources.needsTargetLanguage(request) && config.forcedBosTokenId().isEmpty()) {
        throw new IllegalArgumentException(identity.name() + " is multilingual: a translation"
            + " request needs a target language, one of " + String.join(", ", languages()) + ".");
      }
      ids.add(source.ids());
      configs.add(rowConfig);
      lengths[i] = source.ids().length;
    }
    List<int[]> batches = oneBatch
        ? List.of(IntStream.range(0, requests.size()).toArray())
        : LengthBuckets.plan(lengths, settings.runMaxRows(identity.device()),
            settings.runMaxTokens(identity.device()), runOverheadTokens(config));
    List<Seq2SeqModel.Generated> generated = model.run(ids, configs, batches, timeoutMs);
    List<GeneratedText> out = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      Seq2SeqModel.Generated g = generated.get(i);
      boolean capped = configs.get(i).maxLength() < config.maxLength();
      boolean hitLimit = capped && g.tokenIds().length >= configs.get(i).maxLength() - 1
          && !configs.get(i).isEos(g.tokenIds()[g.tokenIds().length - 1]);
      out.add(new GeneratedText(g.text(), g.tokenIds(), g.score(), lengths[i], hitLimit));
    }
    return out;
  }

  /**
   * What one more generation run costs beyond its rows, in encoder tokens, for the length planner.
   * A decoder step has a fixed part that does not shrink with fewer rows (measured on the
   * opus-mt-en-de shape: about 6.5 ms of a 35 ms step of 32 rows, some 7 rows' worth, and a row step
   * costs about 2.4 encoder tokens), paid once per step of the run. With the encoder-only default
   * of 32 tokens the planner cut 32 sentences into many small runs and the loop reached 0.75 of
   * the rate of plain batches of 32. Since session 11 the encoder pads each run only within its own
   * length buckets ({@link Seq2SeqModel#encoderParts}), so the planner overstates what padding a
   * run costs; a five times larger step cost measured the same in `bench translate`, so it stays.
   */
  static int runOverheadTokens(GenerationConfig config) {
    return runOverheadTokens(config.maxLength());
  }

  /** As {@link #runOverheadTokens(GenerationConfig)} for runs of at most {@code maxLength}. */
  public static int runOverheadTokens(int maxLength) {
    return STEP_OVERHEAD_TOKENS * Math.max(1, Math.min(maxLength, MAX_PLANNED_STEPS));
  }

  /** Encoder tokens one decoder step's fixed part is worth (see {@link #runOverheadTokens}). */
  static final int STEP_OVERHEAD_TOKENS = 16;
  /** Steps counted at most: real models stop long before a large max_length. */
  static final int MAX_PLANNED_STEPS = 128;

  @Override
  public int countTokens(GenerationRequest request) {
    return sourceIds(request).length;
  }

  /** The ids the encoder reads for a request: prefix, template and language token included. */
  long[] sourceIds(GenerationRequest request) {
    return sources.encode(request).ids();
  }

  @Override
  public int maxSourceTokens() {
    return model.conventions().maxSourceTokens();
  }

  @Override
  public List<Map<String, Object>> defaultLayers() {
    return model.defaultLayers();
  }

  @Override
  public List<Map<String, Object>> defaultLayers(GenerationRequest request) {
    Map<String, Object> overrides = model.conventions().prefixes()
        .select(request.purpose(), request.sourceLanguage(), request.targetLanguage())
        .overrides();
    if (overrides.isEmpty()) {
      return defaultLayers();
    }
    List<Map<String, Object>> layers = new ArrayList<>(defaultLayers());
    layers.add(overrides);
    return List.copyOf(layers);
  }

  @Override
  public Set<String> languages() {
    return model.conventions().languages().map(LanguageTokens::languages).orElse(Set.of());
  }

  @Override
  public Set<String> prefixedLanguagePairs() {
    return model.conventions().prefixes().pairs();
  }

  @Override
  public ModelIdentity identity() {
    return identity;
  }

  /** Refuses new runs, stops those in flight and waits for them; true when none is left. */
  public boolean stopRuns(java.time.Duration timeout) {
    return model.stopRuns(timeout);
  }

  @Override
  public void close() {
    model.close();
  }

  /**
   * SHA-256 (first 16 hex digits) over the files that decide the output: config, generation
   * config, tokenizer files and the ONNX graphs of the layout in use, each with its name.
   */
  static String contentHash(Seq2SeqModelDir dir) {
    MessageDigest digest = ModelFiles.sha256();
    List<Path> files = new ArrayList<>();
    for (String name : List.of("config.json", "generation_config.json", "tokenizer.json",
        "tokenizer_config.json")) {
      Path file = dir.directory().resolve(name);
      if (Files.isRegularFile(file)) {
        files.add(file);
      }
    }
    files.addAll(dir.graphs());
    for (Path file : files) {
      digest.update(dir.directory().relativize(file).toString().replace('\\', '/')
          .getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      ModelFiles.feed(digest, file);
    }
    return ModelFiles.hexPrefix(digest);
  }
}
