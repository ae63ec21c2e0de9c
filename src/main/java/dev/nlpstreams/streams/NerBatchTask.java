package dev.nlpstreams.streams;

import dev.nlpstreams.schema.avro.Entities;
import dev.nlpstreams.schema.avro.Entity;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.text.ner.AggregationStrategy;
import dev.nlpstreams.text.task.EntityRecognizer;
import dev.nlpstreams.text.task.InferenceException;
import dev.nlpstreams.text.task.NerRequest;
import dev.nlpstreams.text.task.NerResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs NER over a batch and encodes one {@link Entities} record per input. */
final class NerBatchTask extends ModelBatchTask<NerResult> {

  private final EntityRecognizer recognizer;
  private final AggregationStrategy defaultStrategy;
  private final String outputNode;
  private final long runTimeoutMs;

  NerBatchTask(EntityRecognizer recognizer, AggregationStrategy defaultStrategy,
      String outputNode, long runTimeoutMs) {
    this.recognizer = recognizer;
    this.defaultStrategy = defaultStrategy;
    this.outputNode = outputNode;
    this.runTimeoutMs = runTimeoutMs;
  }

  @Override
  public long runTimeoutMs() {
    return runTimeoutMs;
  }

  @Override
  public Task task() {
    return Task.NER;
  }

  @Override
  public String outputNode() {
    return outputNode;
  }

  @Override
  public int countTokens(TextEvent event) {
    return event.getText().isBlank() ? 0 : recognizer.countTokens(event.getText());
  }

  /** Returns the error when the event's NER options cannot be honoured, otherwise null. */
  @Override
  public OptionError checkOptions(TextEvent event) {
    String model = requestedModel(event);
    if (model != null && !model.equals(recognizer.identity().name())) {
      // Like translation and summaries: a model the record names must exist, never be ignored.
      return OptionError.option("No NER model is named '" + model + "'; configured: ["
          + recognizer.identity().name() + "].");
    }
    String strategy = requestedStrategy(event);
    if (strategy == null) {
      return null;
    }
    try {
      AggregationStrategy.parse(strategy);
      return null;
    } catch (IllegalArgumentException e) {
      return OptionError.option("Unsupported NER option: " + e.getMessage());
    }
  }

  private static String requestedModel(TextEvent event) {
    if (event.getOptions() == null || event.getOptions().getNer() == null) {
      return null;
    }
    String model = event.getOptions().getNer().getModel();
    return model == null || model.isBlank() ? null : model.strip();
  }

  private static String requestedStrategy(TextEvent event) {
    if (event.getOptions() == null || event.getOptions().getNer() == null) {
      return null;
    }
    return event.getOptions().getNer().getAggregationStrategy();
  }

  @Override
  protected List<NerResult> infer(List<PendingRecord> batch, long timeoutMs)
      throws InferenceException {
    // Blank texts have nothing to tag: answer them without occupying the model.
    List<NerRequest> requests = new ArrayList<>();
    List<Integer> requestIndex = new ArrayList<>();
    NerResult[] byRecord = new NerResult[batch.size()];
    for (int i = 0; i < batch.size(); i++) {
      TextEvent event = batch.get(i).event();
      if (event.getText().isBlank()) {
        byRecord[i] = new NerResult(List.of(), strategyFor(event), 0, recognizer.identity());
      } else {
        requestIndex.add(i);
        requests.add(new NerRequest(event.getText(), strategyFor(event)));
      }
    }
    List<NerResult> results = requests.isEmpty() ? List.of() : recognizer.recognize(requests, timeoutMs);
    if (results.size() != requests.size()) {
      throw new InferenceException("Recognizer returned " + results.size() + " results for "
          + requests.size() + " texts");
    }
    for (int r = 0; r < results.size(); r++) {
      byRecord[requestIndex.get(r)] = results.get(r);
    }
    return Arrays.asList(byRecord);
  }

  private AggregationStrategy strategyFor(TextEvent event) {
    String requested = requestedStrategy(event);
    return requested == null ? defaultStrategy : AggregationStrategy.parse(requested);
  }

  /** The Entities record of one text's recognized entities. */
  @Override
  protected Entities assemble(PendingRecord record, NerResult result, BatchRun run) {
    List<Entity> avroEntities = new ArrayList<>(result.entities().size());
    for (dev.nlpstreams.text.ner.Entity e : result.entities()) {
      avroEntities.add(Entity.newBuilder()
          .setLabel(e.label())
          .setText(e.word())
          .setScore(e.score())
          .setStart(e.start())
          .setEnd(e.end())
          .setStartCodePoint(e.startCodePoint())
          .setEndCodePoint(e.endCodePoint())
          .build());
    }
    return Entities.newBuilder()
        .setEventId(record.event().getEventId())
        .setEntities(avroEntities)
        .setModel(OutputFields.model(result.model()))
        .setAggregationStrategy(result.strategy().name().toLowerCase(java.util.Locale.ROOT))
        .setWindowCount(result.windowCount())
        .setSource(OutputFields.source(record))
        .setAttributes(record.event().getAttributes())
        .build();
  }
}
