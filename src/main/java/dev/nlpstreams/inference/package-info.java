/**
 * Model loading (Hugging Face Optimum layout), ONNX Runtime sessions, devices, tensors and the
 * tokenizer binding. No Kafka here. Every native object (session, tensor, result, run options,
 * tokenizer) is closed by its owner.
 */
package dev.nlpstreams.inference;
