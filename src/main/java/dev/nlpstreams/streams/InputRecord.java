package dev.nlpstreams.streams;

import org.apache.kafka.common.header.Headers;

/**
 * One input record as the decoder sees it: where it came from and its raw bytes.
 *
 * @param headers the record's headers (never null; possibly empty)
 * @param key the key bytes, or null
 * @param value the value bytes, or null for a tombstone
 */
public record InputRecord(String topic, int partition, long offset, long timestamp,
    Headers headers, byte[] key, byte[] value) {}
