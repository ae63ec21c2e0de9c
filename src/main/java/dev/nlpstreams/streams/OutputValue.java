package dev.nlpstreams.streams;

import org.apache.avro.specific.SpecificRecord;

/**
 * What the topology forwards to an output or dead-letter sink: the record to write and the input it
 * answers (an encoder that enriches the input record in place needs the original bytes).
 */
public record OutputValue(SpecificRecord result, SourceRecordInfo source) {}
