/**
 * The Kafka Streams topology: decoding and validation (failures become dead letters), the
 * micro-batch buffer in a changelogged state store with its flush triggers, per-record failure
 * isolation, and the sinks. Nothing here touches ONNX Runtime; inference is reached through
 * {@link dev.nlpstreams.text.task.EntityRecognizer}.
 */
package dev.nlpstreams.streams;
