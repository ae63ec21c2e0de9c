package dev.nlpstreams.text.task;

/**
 * Why a seq2seq model is asked to generate. Models that are steered by a text prefix (T5:
 * {@code "translate English to German: "}, {@code "summarize: "}) pick the prefix from it.
 */
public enum GenerationPurpose { TRANSLATE, SUMMARIZE }
