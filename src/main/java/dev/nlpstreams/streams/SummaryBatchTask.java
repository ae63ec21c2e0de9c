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
import dev.nlpstreams.text.task.TextGenerator;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import java.util.Map;

/**
 * Summarizes a batch. A text longer than the model reads is cut into chunks; every chunk is
 * summarized (the chunks of all records in the batch run together) and the chunk summaries are
 * joined. While a record's joined summaries are still longer than one summary may be, they are
 * summarized again ("summarize the summaries"), up to the configured number of rounds.
 */
final class SummaryBatchTask implements BatchTask {

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
    String model = modelFor(event);
    return event.getText().isBlank() || !models.has(model) ? 0
        : models.get(model).countTokens(GenerationRequest.summarize(event.getText()));
  }

  /** One record's progress through the rounds. */
  private static final class Progress {
    final String model;
    final GenerationConfig config;
    String text;
    int rounds;
    int firstRoundChunks;
    boolean truncated;
    boolean done;

    Progress(String model, GenerationConfig config, String text) {
      this.model = model;
      this.config = config;
      this.text = text;
    }
  }

  @Override
  public List<SpecificRecord> run(List<PendingRecord> batch, long timeoutMs)
      throws InferenceException {
    long startedMs = System.currentTimeMillis();
    long started = System.nanoTime();
    List<Progress> progress = new ArrayList<>(batch.size());
    for (PendingRecord record : batch) {
      TextEvent event = record.event();
      String model = modelFor(event);
      if (!models.has(model)) {
        throw new InferenceException("No summarization model is named '" + model + "'");
      }
      Progress p = new Progress(model, models.config(model,
          GenerationRequest.summarize(event.getText()), recordLayer(event)), event.getText());
      p.done = event.getText().isBlank();
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
        TextGenerator generator = models.get(p.model);
        ChunkedText chunks = ChunkedText.plan(p.text,
            text -> generator.countTokens(GenerationRequest.summarize(text)),
            generator.maxSourceTokens(), models.limits().maxChunks());
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
        List<String> summaries = new ArrayList<>(chunks.chunks().size());
        for (int c = 0; c < chunks.chunks().size(); c++) {
          p.truncated |= outputs.get(next).hitPositionLimit();
          summaries.add(outputs.get(next++).text());
        }
        if (round == 1) {
          p.firstRoundChunks = chunks.chunks().size();
          p.truncated |= chunks.truncated();
        }
        p.rounds = round;
        p.text = chunks.stitch(summaries);
        int maxSummaryTokens = p.config.maxLength() - 1;
        p.done = chunks.chunks().size() == 1 || models.get(p.model)
            .countTokens(GenerationRequest.summarize(p.text)) <= maxSummaryTokens;
      }
    }
    long inferenceMs = (System.nanoTime() - started) / 1_000_000;
    List<SpecificRecord> encoded = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      PendingRecord record = batch.get(i);
      TextEvent event = record.event();
      Progress p = progress.get(i);
      boolean blank = event.getText().isBlank();
      encoded.add(Summary.newBuilder()
          .setEventId(event.getEventId())
          .setLanguage(event.getLanguage())
          .setText(blank ? "" : p.text)
          .setModel(OutputFields.model(models.get(p.model).identity()))
          .setDecoding(OutputFields.decoding(p.config))
          .setChunkCount(p.firstRoundChunks)
          .setSummaryRounds(p.rounds)
          .setTruncated(p.truncated)
          .setTimings(OutputFields.timings(record, startedMs, inferenceMs, batch.size()))
          .setSource(OutputFields.source(record))
          .setAttributes(event.getAttributes())
          .build());
    }
    return encoded;
  }
}
