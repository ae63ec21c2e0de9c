/**
 * Encoder-decoder models (Marian, BART, T5, mBART/M2M style) in the Hugging Face Optimum layout: the
 * encoder runs once per batch, the decoder step by step with its key/value cache, in either decoder
 * layout (merged with {@code use_cache_branch}, or decoder + decoder-with-past). The search itself is
 * {@link dev.nlpstreams.text.generation}; this package only implements its step function.
 */
package dev.nlpstreams.inference.seq2seq;
