package dev.nlpstreams.streams;

import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.avro.internal.BufferedRecord;

/**
 * A buffered record: its buffer position, stored form and decoded event. What a {@link BatchTask}
 * runs on.
 */
public record PendingRecord(long sequence, BufferedRecord buffered, TextEvent event) {

  SourceRecordInfo source() {
    return new SourceRecordInfo(buffered.getSourceTopic(), buffered.getSourcePartition(),
        buffered.getSourceOffset(), buffered.getSourceTimestamp(),
        buffered.getOriginalKey() == null ? null : bytes(buffered.getOriginalKey()),
        bytes(buffered.getOriginalValue()));
  }

  /** A copy of the buffer's remaining bytes; the buffer itself is left untouched. */
  static byte[] bytes(java.nio.ByteBuffer buffer) {
    java.nio.ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }
}
