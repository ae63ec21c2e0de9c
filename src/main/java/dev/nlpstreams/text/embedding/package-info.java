/**
 * Sentence embeddings with Sentence-Transformers semantics: how token vectors become one vector per
 * text (the {@code 1_Pooling} module: CLS, max, mean, mean/sqrt(length)), optional L2
 * normalisation (the {@code Normalize} module), and the port the streaming layer calls. Pure: no
 * Kafka, no ONNX Runtime, no tokenizer binding.
 */
package dev.nlpstreams.text.embedding;
