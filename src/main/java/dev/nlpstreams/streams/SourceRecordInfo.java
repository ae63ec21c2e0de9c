package dev.nlpstreams.streams;

/** Where an input record came from and its raw bytes, as needed for a dead letter. */
public record SourceRecordInfo(String topic, int partition, long offset, long timestamp, byte[] key,
    byte[] value) {}
