/**
 * Pure NLP logic: NER aggregation, batching plans, task contracts. Nothing here imports Kafka, ONNX
 * Runtime or a tokenizer binding, so all of it is unit-tested in microseconds.
 */
package dev.nlpstreams.text;
