package dev.nlpstreams.streams;

import dev.nlpstreams.metrics.NlpMeters;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.text.WellFormedText;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * First node after the source: decodes raw bytes into a {@link TextEvent}, validates it, and routes
 * it to the buffer of every requested task. Anything that cannot be processed becomes a dead letter
 * here, before it can occupy a batch, and the stream carries on.
 */
final class EventDecodeProcessor implements Processor<byte[], byte[], Object, Object> {

  private final InputDecoder decoder;
  private final Map<Task, String> batchNodeByTask;
  private final int maxTextChars;
  private final DeadLetters deadLetters;
  /** Checks and plans each task's work once (options, route, tokens); an error dead-letters. */
  private final Map<Task, Function<TextEvent, PlanOutcome>> planners;
  private final NlpMeters meters;
  private ProcessorContext<Object, Object> context;

  EventDecodeProcessor(InputDecoder decoder, Map<Task, String> batchNodeByTask, int maxTextChars, DeadLetters deadLetters,
      Map<Task, Function<TextEvent, PlanOutcome>> planners, NlpMeters meters) {
    this.meters = meters;
    this.decoder = decoder;
    this.batchNodeByTask = Map.copyOf(batchNodeByTask);
    this.maxTextChars = maxTextChars;
    this.deadLetters = deadLetters;
    this.planners = Map.copyOf(planners);
    if (!this.planners.keySet().containsAll(this.batchNodeByTask.keySet())) {
      throw new IllegalArgumentException("Every routed task needs a planner: tasks "
          + this.batchNodeByTask.keySet() + ", planners " + this.planners.keySet());
    }
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    SourceRecordInfo source = sourceOf(record);
    if (record.value() == null) {
      deadLetter(source, ReasonCode.NULL_VALUE, null, null,
          "Record value is null (a tombstone?); a TextEvent was expected.", null);
      return;
    }
    TextEvent event;
    try {
      event = decoder.decode(new InputRecord(source.topic(), source.partition(), source.offset(),
          record.timestamp(), record.headers(), record.key(), record.value()));
    } catch (PayloadException e) {
      deadLetter(source, e.reason(), null, null, e.getMessage(), e.getCause() == null ? e : e.getCause());
      return;
    }
    String wellFormed = WellFormedText.of(event.getText());
    if (wellFormed != event.getText()) { // a new string only when a surrogate was replaced
      // JSON can carry a lone surrogate (Avro's decoder never yields one): the tokenizers cannot
      // take it, and the buffered Avro copy would hold '?' where the in-memory event holds it.
      event = TextEvent.newBuilder(event).setText(wellFormed).build();
    }
    if (event.getEventId() == null || event.getEventId().isBlank()) {
      deadLetter(source, ReasonCode.INVALID_EVENT, null, null,
          "event_id is empty; every TextEvent needs a unique id (it keys the outputs).", null);
      return;
    }
    if (event.getText().length() > maxTextChars) {
      deadLetter(source, ReasonCode.TEXT_TOO_LARGE, event.getEventId(), null,
          "Text has " + event.getText().length() + " characters; the limit is " + maxTextChars
              + " (nlp.input.max.text.chars).", null);
      return;
    }
    Set<Task> requested = new LinkedHashSet<>(event.getTasks());
    if (requested.isEmpty()) {
      requested.addAll(batchNodeByTask.keySet());
    }
    DecodedEvent decoded =
        new DecodedEvent(event, source, decoder == InputDecoder.TEXT_EVENT, null);
    for (Task task : requested) {
      String node = batchNodeByTask.get(task);
      if (node == null) {
        String why = task == Task.UNKNOWN
            ? "The event requests a task this version does not know."
            : "Task " + task + " is not configured in this processor (configured: "
                + batchNodeByTask.keySet() + ").";
        deadLetter(source, ReasonCode.UNSUPPORTED_TASK, event.getEventId(), task.name(), why, null);
        continue;
      }
      Function<TextEvent, PlanOutcome> planner = planners.get(task);
      PlanOutcome outcome;
      try {
        outcome = planner.apply(event);
      } catch (RuntimeException e) {
        deadLetter(source, ReasonCode.INFERENCE_FAILED, event.getEventId(), task.name(),
            "Cannot tokenize the text: " + e.getMessage(), e);
        continue;
      }
      if (outcome instanceof OptionError optionError) {
        deadLetter(source, optionError.reason(), event.getEventId(), task.name(),
            optionError.message(), null);
        continue;
      }
      meters.recordIn(source.topic(), task.name());
      context.forward(record.withValue(decoded.withPlan((TaskPlan) outcome)), node);
    }
  }

  private void deadLetter(SourceRecordInfo source, ReasonCode reason, String eventId, String task,
      String message, Throwable error) {
    @SuppressWarnings({"unchecked", "rawtypes"})
    ProcessorContext<Object, OutputValue> outputContext = (ProcessorContext) context;
    deadLetters.send(outputContext, source, reason, eventId, task, message, error);
  }

  private SourceRecordInfo sourceOf(Record<byte[], byte[]> record) {
    RecordMetadata metadata = context.recordMetadata().orElse(null);
    return new SourceRecordInfo(
        metadata == null ? "" : metadata.topic(),
        metadata == null ? -1 : metadata.partition(),
        metadata == null ? -1L : metadata.offset(),
        record.timestamp(), record.key(), record.value());
  }
}
