package dev.nlpstreams.streams;

import dev.nlpstreams.metrics.NlpMeters;
import dev.nlpstreams.schema.avro.DeadLetter;
import dev.nlpstreams.schema.avro.ReasonCode;
import java.nio.ByteBuffer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds dead-letter records and forwards them to the dead-letter sink. */
final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
  /** Keeps a pathological exception message from bloating the dead-letter record. */
  private static final int MAX_MESSAGE_CHARS = 4_000;

  private final String applicationId;
  private final String sinkName;
  private final int maxValueBytes;
  private final NlpMeters meters;

  DeadLetters(String applicationId, String sinkName, int maxValueBytes) {
    this(applicationId, sinkName, maxValueBytes, NlpMeters.none());
  }

  DeadLetters(String applicationId, String sinkName, int maxValueBytes, NlpMeters meters) {
    this.applicationId = applicationId;
    this.sinkName = sinkName;
    this.maxValueBytes = maxValueBytes;
    this.meters = meters;
  }

  String sinkName() {
    return sinkName;
  }

  void send(ProcessorContext<Object, OutputValue> context, SourceRecordInfo source, ReasonCode reason,
      String eventId, String task, String message, Throwable error) {
    DeadLetter letter = DeadLetter.newBuilder()
        .setSourceTopic(source.topic())
        .setSourcePartition(source.partition())
        .setSourceOffset(source.offset())
        .setSourceTimestamp(java.time.Instant.ofEpochMilli(source.timestamp()))
        .setOriginalKey(source.key() == null ? null : ByteBuffer.wrap(source.key()))
        .setOriginalValue(source.value() == null ? null
            : ByteBuffer.wrap(source.value(), 0, Math.min(source.value().length, maxValueBytes))
                .slice())
        .setOriginalValueSize(source.value() == null ? -1 : source.value().length)
        .setOriginalValueTruncated(source.value() != null && source.value().length > maxValueBytes)
        .setReason(reason)
        // Every dead letter names a class, so consumers can group them without parsing text.
        .setErrorClass(error == null ? RejectedInputException.class.getName()
            : error.getClass().getName())
        .setErrorMessage(truncate(message))
        .setEventId(eventId)
        .setTask(task)
        .setApplicationId(applicationId)
        .setFailedAt(java.time.Instant.ofEpochMilli(context.currentSystemTimeMs()))
        .build();
    LOG.warn("Dead-lettered {}-{}@{} ({}{}): {}", source.topic(), source.partition(),
        source.offset(), reason, task == null ? "" : ", task " + task, truncate(message));
    context.forward(new Record<>(source.key(), new OutputValue(letter, source),
        source.timestamp()), sinkName);
    meters.deadLetter(reason.name(), task);
  }

  private static String truncate(String message) {
    if (message == null || message.length() <= MAX_MESSAGE_CHARS) {
      return message;
    }
    return message.substring(0, MAX_MESSAGE_CHARS) + "... (truncated)";
  }
}
