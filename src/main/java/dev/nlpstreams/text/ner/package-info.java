/**
 * Named-entity post-processing with the exact semantics of the Hugging Face
 * {@code TokenClassificationPipeline}: softmax over token logits, the none/simple/first/average/max
 * aggregation strategies, B-/I- grouping, sliding windows over long texts and the merge of their
 * overlapping results, with offsets in both UTF-16 code units and code points.
 *
 * <p>Pure logic over plain arrays and strings: nothing here imports Kafka, ONNX Runtime, DJL or Avro,
 * so the rules that users compare against the Python pipeline are unit-tested in microseconds.
 */
package dev.nlpstreams.text.ner;
