package dev.nlpstreams.streams;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serializer;

/**
 * How the topology reads its input and writes its outputs: the one place where wire formats
 * (single-object encoding, Confluent Schema Registry framing, users' own schemas, JSON) plug in.
 *
 * @param input reads every input value as a TextEvent
 * @param output writes every result and dead letter
 */
public record TopologyIo(InputDecoder input, Serializer<OutputValue> output) {
  public TopologyIo {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
  }

  /** Our own TextEvent in, our own contracts out, all in Avro single-object encoding. */
  public static TopologyIo singleObject() {
    return new TopologyIo(InputDecoder.TEXT_EVENT, new SingleObjectSerializer());
  }
}
