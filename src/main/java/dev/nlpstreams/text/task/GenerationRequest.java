package dev.nlpstreams.text.task;

import java.util.Objects;

/**
 * One text for a seq2seq model.
 *
 * @param text the source text, without any task prefix (the model adds its own)
 * @param purpose translation or summarization
 * @param sourceLanguage language code of the text (for example {@code en}); null when unknown or
 *     irrelevant. Multilingual models put it into the source as a language token.
 * @param targetLanguage language code to translate into; null for summarization and for models with
 *     one fixed target. Multilingual models force it as the first generated token.
 */
public record GenerationRequest(String text, GenerationPurpose purpose, String sourceLanguage,
    String targetLanguage) {
  public GenerationRequest {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(purpose, "purpose");
  }

  public static GenerationRequest summarize(String text) {
    return new GenerationRequest(text, GenerationPurpose.SUMMARIZE, null, null);
  }

  public static GenerationRequest translate(String text, String sourceLanguage,
      String targetLanguage) {
    return new GenerationRequest(text, GenerationPurpose.TRANSLATE, sourceLanguage, targetLanguage);
  }
}
