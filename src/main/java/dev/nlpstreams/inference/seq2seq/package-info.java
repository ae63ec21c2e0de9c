/**
 * Encoder-decoder models (Marian, BART, T5, M2M-100, mBART-50, NLLB) in the Hugging Face Optimum
 * layout behind {@link dev.nlpstreams.text.task.TextGenerator}: {@link
 * dev.nlpstreams.inference.seq2seq.OnnxTextGenerator} applies the family conventions the files
 * declare (task prefixes, language tokens in the source template, the target language forced per
 * row), {@link dev.nlpstreams.inference.seq2seq.Seq2SeqModel} runs the encoder once per batch and
 * the decoder step by step with its key/value cache, in either decoder layout (merged with
 * {@code use_cache_branch}, or decoder + decoder-with-past). The search itself is
 * {@link dev.nlpstreams.text.generation}; this package only implements its step function.
 */
package dev.nlpstreams.inference.seq2seq;
