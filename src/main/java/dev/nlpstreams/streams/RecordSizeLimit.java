package dev.nlpstreams.streams;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The largest record this processor writes: a producer refuses a record above its
 * max.request.size, and Kafka Streams then fails the stream thread, which replays the same record
 * and fails again. Checking first turns that loop into one dead letter.
 *
 * @param maxBytes the most key + value bytes of one record
 */
record RecordSizeLimit(int maxBytes, Serializer<OutputValue> output) {

  /** The message tail when {@code keyBytes + valueBytes} is over the limit, otherwise null. */
  String check(int keyBytes, int valueBytes) {
    long size = (long) keyBytes + valueBytes;
    if (size <= maxBytes) {
      return null;
    }
    return "would be " + size + " bytes, above the " + maxBytes + "-byte limit for one record"
        + " (nlp.max.record.bytes, at most the producer's max.request.size); raise both, and the"
        + " topics' max.message.bytes, to accept it";
  }

  /**
   * A result serialized for its topic, with the headers the serializer set, and the message tail of
   * {@link #check} when it is too large (else null).
   */
  record Encoded(byte[] value, Headers headers, String tooLarge) {}

  /** Serializes a result as the sink would and checks its size. */
  Encoded encodeOutput(String topic, String key, OutputValue value) {
    Headers headers = new RecordHeaders();
    byte[] encoded = output.serialize(topic, headers, value);
    return new Encoded(encoded, headers, check(
        key == null ? 0 : key.getBytes(StandardCharsets.UTF_8).length,
        encoded == null ? 0 : encoded.length));
  }
}
