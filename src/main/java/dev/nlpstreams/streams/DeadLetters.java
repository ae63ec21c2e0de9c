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

  /**
   * Room a dead letter needs beside the copies of the original key and value: its message and
   * event id (at most {@link #MAX_MESSAGE_CHARS} characters each, up to 3 bytes each in UTF-8),
   * topic, class name, timestamps and the framing.
   */
  static final int FIXED_BYTES = 32 * 1024;

  private final String applicationId;
  private final String sinkName;
  private final int maxValueBytes;
  /** The largest record the producer takes: a dead letter above it would fail its thread. */
  private final int maxRecordBytes;
  private final NlpMeters meters;

  DeadLetters(String applicationId, String sinkName, int maxValueBytes) {
    this(applicationId, sinkName, maxValueBytes, NlpTopology.Settings.DEFAULT_MAX_RECORD_BYTES,
        NlpMeters.none());
  }

  DeadLetters(String applicationId, String sinkName, int maxValueBytes, int maxRecordBytes,
      NlpMeters meters) {
    this.applicationId = applicationId;
    this.sinkName = sinkName;
    this.maxValueBytes = maxValueBytes;
    this.maxRecordBytes = maxRecordBytes;
    this.meters = meters;
  }

  String sinkName() {
    return sinkName;
  }

  void send(ProcessorContext<Object, OutputValue> context, SourceRecordInfo source, ReasonCode reason,
      String eventId, String task, String message, Throwable error) {
    // The letter must fit the producer's limit whatever nlp.dead.letter.max.value.bytes says and
    // however large the key: a dead letter the producer refuses would fail the thread on the same
    // record again and again. The record's key is the original key; the copy inside goes first.
    int keyBytes = source.key() == null ? 0 : source.key().length;
    int room = maxRecordBytes - FIXED_BYTES - keyBytes;
    boolean copyKey = keyBytes <= room / 2;
    int valueRoom = Math.max(0, copyKey ? room - keyBytes : room);
    int valueLimit = Math.min(maxValueBytes, valueRoom);
    DeadLetter letter = DeadLetter.newBuilder()
        .setSourceTopic(source.topic())
        .setSourcePartition(source.partition())
        .setSourceOffset(source.offset())
        .setSourceTimestamp(java.time.Instant.ofEpochMilli(source.timestamp()))
        .setOriginalKey(source.key() == null || !copyKey ? null : ByteBuffer.wrap(source.key()))
        .setOriginalValue(source.value() == null ? null
            : ByteBuffer.wrap(source.value(), 0, Math.min(source.value().length, valueLimit))
                .slice())
        .setOriginalValueSize(source.value() == null ? -1 : source.value().length)
        .setOriginalValueTruncated(source.value() != null && source.value().length > valueLimit)
        .setReason(reason)
        // Every dead letter names a class, so consumers can group them without parsing text.
        .setErrorClass(error == null ? RejectedInputException.class.getName()
            : error.getClass().getName())
        .setErrorMessage(truncate(message))
        .setEventId(truncate(eventId))
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
