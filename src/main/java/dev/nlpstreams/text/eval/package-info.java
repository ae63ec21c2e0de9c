/**
 * Accuracy measures for comparing model outputs: character n-gram F-score (chrF) between two
 * translations, and entity-level precision, recall and F1 against gold spans.
 *
 * <p>Pure logic over strings and spans (no Kafka, ONNX Runtime or DJL), unit-tested with
 * hand-computed values.
 */
package dev.nlpstreams.text.eval;
