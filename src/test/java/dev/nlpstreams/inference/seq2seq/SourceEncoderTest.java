package dev.nlpstreams.inference.seq2seq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nlpstreams.text.task.GenerationRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Requests to source ids with a toy tokenizer (one id per word, the template of the conventions),
 * so the rules are checked without a model: prefix first, the request's source language in the
 * template's language slot, the target language as the forced first token.
 */
class SourceEncoderTest {

  private static final long EOS = 2;

  /** Word ids: the position in this list plus 100. */
  private static final List<String> WORDS = new ArrayList<>();

  private static long word(String w) {
    int i = WORDS.indexOf(w);
    if (i < 0) {
      WORDS.add(w);
      i = WORDS.size() - 1;
    }
    return 100 + i;
  }

  private static long[] words(String text) {
    return java.util.Arrays.stream(text.trim().split("\\s+")).filter(w -> !w.isEmpty())
        .mapToLong(SourceEncoderTest::word).toArray();
  }

  private static SourceEncoder encoder(SourceTemplate template, Map<String, Long> languageIds,
      TaskPrefixes prefixes) {
    Seq2SeqConventions conventions = new Seq2SeqConventions(template,
        LanguageTokens.find(languageIds.keySet()), languageIds, prefixes, 16);
    return new SourceEncoder((text, special) -> special ? template.assemble(words(text))
        : words(text), conventions);
  }

  private static SourceTemplate m2mTemplate() {
    return new SourceTemplate(List.of(new SourceTemplate.Piece("__en__", new long[] {10}),
        SourceTemplate.Piece.TEXT, new SourceTemplate.Piece("</s>", new long[] {EOS})));
  }

  private static Map<String, Long> m2mLanguages() {
    Map<String, Long> ids = new LinkedHashMap<>();
    ids.put("__en__", 10L);
    ids.put("__de__", 11L);
    ids.put("__fr__", 12L);
    return ids;
  }

  private static TaskPrefixes noPrefixes() {
    return TaskPrefixes.fromConfig(Map.of());
  }

  @Test
  void multilingualSourceLanguageGoesIntoTheTemplateAndTheTargetIsForced() {
    SourceEncoder e = encoder(m2mTemplate(), m2mLanguages(), noPrefixes());

    SourceEncoder.Source s = e.encode(GenerationRequest.translate("hallo welt", "de", "fr"));

    assertThat(s.ids()).containsExactly(11, word("hallo"), word("welt"), EOS);
    assertThat(s.forcedFirstToken()).hasValue(12);
  }

  @Test
  void modelCodesAndTokensAreAcceptedLikeIsoCodes() {
    SourceEncoder e = encoder(m2mTemplate(), m2mLanguages(), noPrefixes());

    assertThat(e.encode(GenerationRequest.translate("a", "__fr__", "__de__")).ids()[0])
        .isEqualTo(12);
    assertThat(e.encode(GenerationRequest.translate("a", "fr", "__de__")).forcedFirstToken())
        .hasValue(11);
  }

  @Test
  void withoutASourceLanguageTheTemplateDefaultStays() {
    SourceEncoder e = encoder(m2mTemplate(), m2mLanguages(), noPrefixes());

    SourceEncoder.Source s = e.encode(GenerationRequest.translate("hallo", null, "en"));

    assertThat(s.ids()).containsExactly(10, word("hallo"), EOS);
    assertThat(s.forcedFirstToken()).hasValue(10);
  }

  @Test
  void aLanguageTheModelLacksIsRejectedWithItsLanguages() {
    SourceEncoder e = encoder(m2mTemplate(), m2mLanguages(), noPrefixes());

    assertThatThrownBy(() -> e.encode(GenerationRequest.translate("x", "en", "ja")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("de, en, fr");
    assertThatThrownBy(() -> e.encode(GenerationRequest.translate("x", "ja", "en")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ja'");
  }

  @Test
  void onlyMultilingualTranslationNeedsATarget() {
    SourceEncoder multilingual = encoder(m2mTemplate(), m2mLanguages(), noPrefixes());
    SourceEncoder single = encoder(m2mTemplate(), Map.of(), noPrefixes());

    assertThat(multilingual.needsTargetLanguage(GenerationRequest.translate("x", "en", null)))
        .isTrue();
    assertThat(multilingual.needsTargetLanguage(GenerationRequest.summarize("x"))).isFalse();
    assertThat(single.needsTargetLanguage(GenerationRequest.translate("x", "en", null))).isFalse();
  }

  @Test
  void singlePairModelsIgnoreLanguagesAndUseTheTokenizersTemplate() {
    SourceTemplate marian = new SourceTemplate(List.of(SourceTemplate.Piece.TEXT,
        new SourceTemplate.Piece("</s>", new long[] {0})));
    SourceEncoder e = encoder(marian, Map.of(), noPrefixes());

    SourceEncoder.Source s = e.encode(GenerationRequest.translate("the dog", "en", "de"));

    assertThat(s.ids()).containsExactly(word("the"), word("dog"), 0);
    assertThat(s.forcedFirstToken()).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void t5PrefixesComeBeforeTheTextAndCountAsSourceTokens() throws Exception {
    TaskPrefixes prefixes = TaskPrefixes.fromConfig(new com.fasterxml.jackson.databind.ObjectMapper()
        .readValue("""
            {"task_specific_params": {
              "summarization": {"prefix": "summarize: "},
              "translation_en_to_de": {"prefix": "translate English to German: "}}}
            """, Map.class));
    SourceTemplate t5 = new SourceTemplate(List.of(SourceTemplate.Piece.TEXT,
        new SourceTemplate.Piece("</s>", new long[] {1})));
    SourceEncoder e = encoder(t5, Map.of(), prefixes);

    assertThat(e.encode(GenerationRequest.summarize("the dog runs")).ids()).containsExactly(
        word("summarize:"), word("the"), word("dog"), word("runs"), 1);
    assertThat(e.encode(GenerationRequest.translate("the dog", "en", "de")).ids()).containsExactly(
        word("translate"), word("English"), word("to"), word("German:"), word("the"),
        word("dog"), 1);
    assertThatThrownBy(() -> e.encode(GenerationRequest.translate("x", "en", "fr")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("en->de");
  }

  @Test
  void aTemplateWithoutALanguageSlotKeepsTheTokenizersIds() {
    SourceTemplate plain = new SourceTemplate(List.of(SourceTemplate.Piece.TEXT,
        new SourceTemplate.Piece("</s>", new long[] {EOS})));
    SourceEncoder e = encoder(plain, m2mLanguages(), noPrefixes());

    SourceEncoder.Source s = e.encode(GenerationRequest.translate("hallo", "de", "fr"));

    assertThat(s.ids()).containsExactly(word("hallo"), EOS);
    assertThat(s.forcedFirstToken()).hasValue(12);
    assertThat(Optional.of(s)).isPresent();
  }
}
