package dev.nlpstreams.streams;

import dev.nlpstreams.schema.avro.Decoding;
import dev.nlpstreams.schema.avro.ModelInfo;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.avro.Translation;
import dev.nlpstreams.schema.avro.TranslationOptions;
import dev.nlpstreams.text.chunking.ChunkedText;
import dev.nlpstreams.text.generation.GenerationConfig;
import dev.nlpstreams.text.task.GeneratedText;
import dev.nlpstreams.text.task.GenerationRequest;
import dev.nlpstreams.text.task.InferenceException;
import dev.nlpstreams.text.task.ModelIdentity;
import dev.nlpstreams.text.task.TextGenerator;
import dev.nlpstreams.text.translation.TranslationRouter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Translates a batch: routes each record to a model by its languages, cuts each text into sentences
 * (translation models are trained on sentence pairs; a sentence longer than the model reads is cut
 * into word windows), runs the sentences of all records together (grouped by model and generation
 * settings) and stitches each record's translation in order, keeping paragraph breaks.
 */
final class TranslationBatchTask extends ModelBatchTask<TranslationBatchTask.TranslatedRecord> {

  /** Model name reported when source and target language are the same and nothing ran. */
  static final String PASSTHROUGH_MODEL = "passthrough";

  private final GenerationModels models;
  private final TranslationRouter router;
  private final String outputNode;
  private final long runTimeoutMs;

  TranslationBatchTask(GenerationModels models, TranslationRouter router, String outputNode,
      long runTimeoutMs) {
    this.models = models;
    this.router = router;
    this.outputNode = outputNode;
    this.runTimeoutMs = runTimeoutMs;
  }

  @Override
  public long runTimeoutMs() {
    return runTimeoutMs;
  }

  @Override
  public Task task() {
    return Task.TRANSLATE;
  }

  @Override
  public String outputNode() {
    return outputNode;
  }

  private record Plan(TranslationRouter.Route route, Map<String, Object> recordLayer) {}

  private static TranslationOptions options(TextEvent event) {
    return event.getOptions() == null ? null : event.getOptions().getTranslation();
  }

  private TranslationRouter.Decision route(TextEvent event) {
    TranslationOptions options = options(event);
    return router.route(event.getText(), event.getLanguage(),
        options == null ? null : options.getTargetLanguage(),
        options == null ? null : options.getModel());
  }

  private static Map<String, Object> recordLayer(TextEvent event) {
    TranslationOptions options = options(event);
    return options == null ? Map.of()
        : GenerationModels.recordLayer(options.getMaxNewTokens(), options.getNumBeams(), null);
  }

  /** The dead-letter reason when the record cannot be translated as asked, otherwise null. */
  @Override
  public OptionError checkOptions(TextEvent event) {
    return plan(event) instanceof OptionError error ? error : null;
  }

  /**
   * Routes the record once, when it is decoded (language detection is the costly part), and keeps
   * the route in its buffer entry for {@link #run}.
   */
  @Override
  public PlanOutcome plan(TextEvent event) {
    TranslationRouter.Decision decision = route(event);
    if (decision instanceof TranslationRouter.Rejection rejection) {
      // A model name that does not exist is an option the record got wrong; a missing target or a
      // direction no model serves is a language problem.
      return rejection.kind() == TranslationRouter.Rejection.Kind.UNKNOWN_MODEL
          ? OptionError.option(rejection.message()) : OptionError.language(rejection.message());
    }
    TranslationRouter.Route route = (TranslationRouter.Route) decision;
    if (route.passthrough()) {
      return new TaskPlan(0, routeFacts(route));
    }
    String error = models.checkRecordLayer(route.model(), request(event.getText(), route),
        recordLayer(event));
    if (error != null) {
      return OptionError.option("Unsupported translation option: " + error);
    }
    Map<String, String> facts = routeFacts(route);
    if (event.getText().isBlank()) {
      return new TaskPlan(0, facts);
    }
    // Cut now, once: the spans go into the buffer entry and the run reads them back.
    ChunkedText chunks = chunk(event.getText(), route);
    TextGenerator generator = models.get(route.model());
    ChunkPlanFacts.put(facts, chunks, generator.maxSourceTokens(), models.limits().maxChunks());
    return new TaskPlan(chunks.tokens(), facts);
  }

  /** One chunk per sentence (word windows for a sentence longer than the model reads). */
  private ChunkedText chunk(String text, TranslationRouter.Route route) {
    TextGenerator generator = models.get(route.model());
    return ChunkedText.sentences(text, piece -> generator.countTokens(request(piece, route)),
        generator.maxSourceTokens(), models.limits().maxChunks());
  }

  /** The record's chunks as planned, or cut again when its entry keeps none for this model. */
  private ChunkedText chunks(PendingRecord record, TranslationRouter.Route route) {
    return ChunkPlanFacts.plannedOrCut(record, models.get(route.model()).maxSourceTokens(),
        models.limits().maxChunks(), () -> chunk(record.event().getText(), route));
  }

  private static final String MODEL = "model";
  private static final String SOURCE = "source_language";
  private static final String DETECTED = "source_detected";
  private static final String TARGET = "target_language";
  private static final String PASSTHROUGH = "passthrough";

  /** The route as plan facts (a mutable map: the chunk plan joins it). */
  private static Map<String, String> routeFacts(TranslationRouter.Route route) {
    Map<String, String> facts = new java.util.HashMap<>();
    facts.put(MODEL, route.model());
    if (route.sourceLanguage() != null) {
      facts.put(SOURCE, route.sourceLanguage());
    }
    facts.put(DETECTED, Boolean.toString(route.sourceDetected()));
    facts.put(TARGET, route.targetLanguage());
    facts.put(PASSTHROUGH, Boolean.toString(route.passthrough()));
    return facts;
  }

  /** The route planned at decode time; routed again only for entries of an older version. */
  private Plan plan(PendingRecord record) throws InferenceException {
    TextEvent event = record.event();
    Map<String, String> facts = record.buffered() == null ? Map.of()
        : record.buffered().getPlan();
    if (facts.containsKey(MODEL) && facts.containsKey(TARGET)) {
      TranslationRouter.Route route = new TranslationRouter.Route(facts.get(MODEL),
          facts.get(SOURCE), Boolean.parseBoolean(facts.get(DETECTED)), facts.get(TARGET),
          Boolean.parseBoolean(facts.get(PASSTHROUGH)));
      if (route.passthrough() || models.has(route.model())) {
        return new Plan(route, recordLayer(event));
      }
      // The model was removed from the configuration since: route again below.
    }
    TranslationRouter.Decision decision = route(event);
    if (decision instanceof TranslationRouter.Rejection rejection) {
      // Checked when the record was decoded; only a configuration change in between gets here.
      throw new InferenceException(rejection.message());
    }
    return new Plan((TranslationRouter.Route) decision, recordLayer(event));
  }

  @Override
  public int countTokens(TextEvent event) {
    return plan(event) instanceof TaskPlan plan ? plan.tokens() : 0;
  }

  private static GenerationRequest request(String text, TranslationRouter.Route route) {
    return GenerationRequest.translate(text, route.sourceLanguage(), route.targetLanguage());
  }

  /**
   * What the model work yields for one record: its route and generation settings, and for a text
   * that went to a model its chunks with one generated text per chunk (null chunks: blank text or
   * source and target the same, nothing ran).
   */
  record TranslatedRecord(TranslationRouter.Route route, GenerationConfig config,
      ModelIdentity model, ChunkedText chunks, List<GeneratedText> chunkOutputs) {}

  @Override
  protected List<TranslatedRecord> infer(List<PendingRecord> batch, long timeoutMs)
      throws InferenceException {
    List<Plan> plans = new ArrayList<>(batch.size());
    List<ChunkedText> chunked = new ArrayList<>(batch.size());
    List<GenerationConfig> configs = new ArrayList<>(batch.size());
    List<GenerationRunner.Job> jobs = new ArrayList<>();
    List<Integer> firstJob = new ArrayList<>(batch.size());
    for (PendingRecord record : batch) {
      TextEvent event = record.event();
      Plan plan = plan(record);
      plans.add(plan);
      firstJob.add(jobs.size());
      TranslationRouter.Route route = plan.route();
      if (route.passthrough()) {
        chunked.add(null);
        configs.add(null);
        continue;
      }
      GenerationConfig config =
          models.config(route.model(), request(event.getText(), route), plan.recordLayer());
      configs.add(config);
      if (event.getText().isBlank()) {
        chunked.add(null);
        continue;
      }
      ChunkedText chunks = chunks(record, route);
      chunked.add(chunks);
      for (String chunk : chunks.chunks()) {
        jobs.add(new GenerationRunner.Job(route.model(), request(chunk, route), config));
      }
    }
    List<GeneratedText> outputs = GenerationRunner.run(models, jobs, timeoutMs);
    List<TranslatedRecord> results = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      TranslationRouter.Route route = plans.get(i).route();
      ChunkedText chunks = chunked.get(i);
      ModelIdentity model = route.passthrough() ? null : models.get(route.model()).identity();
      int from = firstJob.get(i);
      results.add(new TranslatedRecord(route, configs.get(i), model, chunks, chunks == null
          ? List.of() : outputs.subList(from, from + chunks.spans().size())));
    }
    return results;
  }

  /** The Translation record of one text's route and generated chunks. */
  @Override
  protected Translation assemble(PendingRecord record, TranslatedRecord result, BatchRun run) {
    TextEvent event = record.event();
    TranslationRouter.Route route = result.route();
    Translation.Builder out = Translation.newBuilder()
        .setEventId(event.getEventId())
        .setSourceLanguage(route.sourceLanguage() == null ? "" : route.sourceLanguage())
        .setSourceLanguageDetected(route.sourceDetected())
        .setTargetLanguage(route.targetLanguage())
        .setTimings(OutputFields.timings(record, run))
        .setSource(OutputFields.source(record))
        .setAttributes(event.getAttributes());
    ChunkedText chunks = result.chunks();
    if (chunks == null) {
      // Blank text or source == target: nothing for a model to do.
      boolean passthrough = route.passthrough();
      return out.setText(event.getText())
          .setModel(passthrough ? ModelInfo.newBuilder().setName(PASSTHROUGH_MODEL).build()
              : OutputFields.model(result.model()))
          .setDecoding(passthrough ? Decoding.newBuilder().build()
              : OutputFields.decoding(result.config()))
          .setChunkCount(0)
          .setTruncated(false)
          .build();
    }
    List<String> texts = new ArrayList<>(result.chunkOutputs().size());
    boolean cutShort = false;
    for (GeneratedText output : result.chunkOutputs()) {
      texts.add(output.text());
      cutShort |= output.hitPositionLimit();
    }
    return out.setText(chunks.stitch(texts))
        .setModel(OutputFields.model(result.model()))
        .setDecoding(OutputFields.decoding(result.config()))
        .setChunkCount(chunks.spans().size())
        .setTruncated(chunks.truncated() || cutShort)
        .build();
  }
}
