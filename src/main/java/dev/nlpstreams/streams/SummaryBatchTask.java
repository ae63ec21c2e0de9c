package dev.nlpstreams.streams;

import dev.nlpstreams.schema.avro.Summary;
import dev.nlpstreams.schema.avro.SummaryOptions;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.text.chunking.ChunkedText;
import dev.nlpstreams.text.generation.GenerationConfig;
import dev.nlpstreams.text.task.GeneratedText;
import dev.nlpstreams.text.task.GenerationRequest;
import dev.nlpstreams.text.task.InferenceException;
import dev.nlpstreams.text.task.ModelIdentity;
import dev.nlpstreams.text.task.TextGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Summarizes a batch. A text longer than the model reads is cut into chunks; every chunk is
 * summarized (the chunks of all records in the batch run together) and the chunk summaries are
 * joined. While a record's joined summaries are still longer than one summary may be, they are
 * summarized again ("summarize the summaries"), up to the configured number of rounds.
 */
final class SummaryBatchTask extends ModelBatchTask<SummaryBatchTask.SummarizedRecord> {

  private final GenerationModels models;
  private final String outputNode;
  private final long runTimeoutMs;

  SummaryBatchTask(GenerationModels models, String outputNode, long runTimeoutMs) {
    this.models = models;
    this.outputNode = outputNode;
    this.runTimeoutMs = runTimeoutMs;
  }

  @Override
  public long runTimeoutMs() {
    return runTimeoutMs;
  }

  @Override
  public Task task() {
    return Task.SUMMARIZE;
  }

  @Override
  public String outputNode() {
    return outputNode;
  }

  private static SummaryOptions options(TextEvent event) {
    return event.getOptions() == null ? null : event.getOptions().getSummary();
  }

  private String modelFor(TextEvent event) {
    SummaryOptions options = options(event);
    String requested = options == null ? null : options.getModel();
    return requested == null || requested.isBlank() ? models.defaultName() : requested.strip();
  }

  private static Map<String, Object> recordLayer(TextEvent event) {
    SummaryOptions options = options(event);
    return options == null ? Map.of() : GenerationModels.recordLayer(options.getMaxNewTokens(),
        options.getNumBeams(), options.getMinLength());
  }

  /** The dead-letter reason when the record cannot be summarized as asked, otherwise null. */
  @Override
  public OptionError checkOptions(TextEvent event) {
    String model = modelFor(event);
    if (!models.has(model)) {
      return OptionError.option("No summarization model is named '" + model + "'; configured: "
          + models.all().keySet() + ".");
    }
    String error = models.checkRecordLayer(model, GenerationRequest.summarize(event.getText()),
        recordLayer(event));
    return error == null ? null : OptionError.option("Unsupported summary option: " + error);
  }

  @Override
  public int countTokens(TextEvent event) {
    return plan(event) instanceof TaskPlan plan ? plan.tokens() : 0;
  }

  /**
   * Checks the options and cuts the text once, when it is decoded: the first round's chunk spans
   * go into the buffer entry, so a run, a split retry or a restore does not tokenize the text
   * again to cut it. Later rounds cut the joined summaries, which only exist at run time.
   */
  @Override
  public PlanOutcome plan(TextEvent event) {
    OptionError error = checkOptions(event);
    if (error != null) {
      return error;
    }
    if (event.getText().isBlank()) {
      return TaskPlan.ofTokens(0);
    }
    Map<String, String> facts = new java.util.HashMap<>();
    String model = modelFor(event);
    ChunkedText chunks = chunk(model, event.getText());
    ChunkPlanFacts.put(facts, chunks, models.get(model).maxSourceTokens(),
        models.limits().maxChunks());
    return new TaskPlan(chunks.tokens(), facts);
  }

  /** Sentences packed into chunks of at most what the model reads. */
  private ChunkedText chunk(String model, String text) {
    TextGenerator generator = models.get(model);
    return ChunkedText.plan(text,
        piece -> generator.countTokens(GenerationRequest.summarize(piece)),
        generator.maxSourceTokens(), models.limits().maxChunks());
  }

  /** The first round's chunks as planned, or cut again when the entry keeps none for the model. */
  private ChunkedText plannedChunks(PendingRecord record, String model) {
    return ChunkPlanFacts.plannedOrCut(record, models.get(model).maxSourceTokens(),
        models.limits().maxChunks(), () -> chunk(model, record.event().getText()));
  }

  /** One record's progress through the rounds. */
  private static final class Progress {
    final String model;
    final GenerationConfig config;
    final ChunkedText plannedChunks;
    String text;
    int rounds;
    int firstRoundChunks;
    boolean truncated;
    boolean done;

    Progress(String model, GenerationConfig config, ChunkedText plannedChunks, String text) {
      this.model = model;
      this.config = config;
      this.plannedChunks = plannedChunks;
      this.text = text;
    }
  }

  /**
   * What the model work yields for one record: its summary (empty for a blank text), the settings
   * and model that made it, the first round's chunk count, the rounds run, and whether text was
   * left out (past the chunk limit, or a summary cut at the model's positions).
   */
  record SummarizedRecord(String text, GenerationConfig config, ModelIdentity model,
      int chunkCount, int rounds, boolean truncated) {}

  @Override
  protected List<SummarizedRecord> infer(List<PendingRecord> batch, long timeoutMs)
      throws InferenceException {
    List<Progress> progress = new ArrayList<>(batch.size());
    for (PendingRecord record : batch) {
      TextEvent event = record.event();
      String model = modelFor(event);
      if (!models.has(model)) {
        throw new InferenceException("No summarization model is named '" + model + "'");
      }
      boolean blank = event.getText().isBlank();
      Progress p = new Progress(model, models.config(model,
          GenerationRequest.summarize(event.getText()), recordLayer(event)),
          blank ? null : plannedChunks(record, model), event.getText());
      p.done = blank;
      progress.add(p);
    }
    for (int round = 1; round <= models.limits().maxSummaryRounds(); round++) {
      List<Progress> active = progress.stream().filter(p -> !p.done).toList();
      if (active.isEmpty()) {
        break;
      }
      List<ChunkedText> chunked = new ArrayList<>(active.size());
      List<GenerationRunner.Job> jobs = new ArrayList<>();
      for (Progress p : active) {
        ChunkedText chunks = round == 1 ? p.plannedChunks : chunk(p.model, p.text);
        chunked.add(chunks);
        for (String chunk : chunks.chunks()) {
          jobs.add(new GenerationRunner.Job(p.model, GenerationRequest.summarize(chunk),
              p.config));
        }
      }
      List<GeneratedText> outputs = GenerationRunner.run(models, jobs, timeoutMs);
      int next = 0;
      for (int a = 0; a < active.size(); a++) {
        Progress p = active.get(a);
        ChunkedText chunks = chunked.get(a);
        int chunkCount = chunks.spans().size();
        List<String> summaries = new ArrayList<>(chunkCount);
        for (int c = 0; c < chunkCount; c++) {
          p.truncated |= outputs.get(next).hitPositionLimit();
          summaries.add(outputs.get(next++).text());
        }
        if (round == 1) {
          p.firstRoundChunks = chunkCount;
          p.truncated |= chunks.truncated();
        }
        p.rounds = round;
        p.text = chunks.stitch(summaries);
        int maxSummaryTokens = p.config.maxLength() - 1;
        p.done = chunkCount == 1 || models.get(p.model)
            .countTokens(GenerationRequest.summarize(p.text)) <= maxSummaryTokens;
      }
    }
    List<SummarizedRecord> results = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Progress p = progress.get(i);
      boolean blank = batch.get(i).event().getText().isBlank();
      results.add(new SummarizedRecord(blank ? "" : p.text, p.config,
          models.get(p.model).identity(), p.firstRoundChunks, p.rounds, p.truncated));
    }
    return results;
  }

  /** The Summary record of one text's summary. */
  @Override
  protected Summary assemble(PendingRecord record, SummarizedRecord result, BatchRun run) {
    TextEvent event = record.event();
    return Summary.newBuilder()
        .setEventId(event.getEventId())
        .setLanguage(event.getLanguage())
        .setText(result.text())
        .setModel(OutputFields.model(result.model()))
        .setDecoding(OutputFields.decoding(result.config()))
        .setChunkCount(result.chunkCount())
        .setSummaryRounds(result.rounds())
        .setTruncated(result.truncated())
        .setTimings(OutputFields.timings(record, run))
        .setSource(OutputFields.source(record))
        .setAttributes(event.getAttributes())
        .build();
  }
}
