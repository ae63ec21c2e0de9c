package dev.nlpstreams.inference.seq2seq;

import dev.nlpstreams.text.task.GenerationPurpose;
import dev.nlpstreams.text.task.GenerationRequest;
import java.util.OptionalInt;

/**
 * Turns a request into what the model reads: the task prefix before the text, the tokenizer's
 * template around it with the request's source language token in the template's language slot,
 * and, for a multilingual model, the target language token the decoder must generate first. Pure
 * apart from the tokenizer it is given, so the rules are tested without a model.
 */
final class SourceEncoder {

  /** The tokenizer: ids of a text, with or without the template's special tokens. */
  @FunctionalInterface
  interface Tokenizer {
    long[] ids(String text, boolean addSpecialTokens);
  }

  /**
   * A request ready for the encoder.
   *
   * @param ids source ids, special tokens and prefix included
   * @param forcedFirstToken the target language token for a multilingual model, else empty
   */
  record Source(long[] ids, OptionalInt forcedFirstToken) {}

  private final Tokenizer tokenizer;
  private final Seq2SeqConventions conventions;

  SourceEncoder(Tokenizer tokenizer, Seq2SeqConventions conventions) {
    this.tokenizer = tokenizer;
    this.conventions = conventions;
  }

  /**
   * The source of one request.
   *
   * @throws IllegalArgumentException when the request names a language the model lacks, or a
   *     direction its task prefixes do not cover
   */
  Source encode(GenerationRequest request) {
    String prefix = conventions.prefixes()
        .select(request.purpose(), request.sourceLanguage(), request.targetLanguage()).prefix();
    String text = prefix + request.text();
    if (conventions.languages().isEmpty()) {
      return new Source(tokenizer.ids(text, true), OptionalInt.empty());
    }
    LanguageTokens languages = conventions.languages().get();
    OptionalInt forced = OptionalInt.empty();
    if (present(request.targetLanguage())) {
      forced = OptionalInt.of(Math.toIntExact(id(languages.token(request.targetLanguage()))));
    }
    if (!present(request.sourceLanguage())) {
      // The template's own language token (the tokenizer's default src_lang) stays.
      return new Source(tokenizer.ids(text, true), forced);
    }
    String sourceToken = languages.token(request.sourceLanguage());
    boolean hasSlot = conventions.template()
        .firstSpecialToken(languages.style()::matches).isPresent();
    if (!hasSlot) {
      // Like transformers.js: a template without a language token cannot take one.
      return new Source(tokenizer.ids(text, true), forced);
    }
    long[] ids = conventions.template().assemble(tokenizer.ids(text, false),
        languages.style()::matches, id(sourceToken));
    return new Source(ids, forced);
  }

  /** True when a multilingual model can only translate this request with a given target. */
  boolean needsTargetLanguage(GenerationRequest request) {
    return conventions.languages().isPresent() && request.purpose() == GenerationPurpose.TRANSLATE
        && !present(request.targetLanguage());
  }

  private long id(String token) {
    return conventions.languageTokenIds().get(token);
  }

  private static boolean present(String language) {
    return language != null && !language.isBlank();
  }
}
