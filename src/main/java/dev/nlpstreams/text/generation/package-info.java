/**
 * Hugging Face {@code generate} semantics (greedy and beam search, logits processors, generation
 * config layering) over an abstract next-token {@link dev.nlpstreams.text.generation.StepFunction}.
 *
 * <p>Reference: transformers 4.50+ ({@code GenerationMixin._sample} / vectorised {@code _beam_search},
 * {@code logits_process.py}); encoder-decoder models only, so the decoder prompt is exactly the
 * decoder start token. Nothing here imports Kafka, ONNX Runtime or a tokenizer; the ONNX decoder
 * implements {@code StepFunction} in the inference layer.
 */
package dev.nlpstreams.text.generation;
