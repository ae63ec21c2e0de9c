package dev.nlpstreams.inference.seq2seq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Language tokens of the three multilingual families and the codes requests may use. */
class LanguageTokensTest {

  private static LanguageTokens find(String... specialTokens) {
    return LanguageTokens.find(List.of(specialTokens)).orElseThrow();
  }

  @Test
  void m2mTokensAreIsoCodesAlready() {
    LanguageTokens t = find("<s>", "</s>", "__en__", "__de__", "__fr__", "__ast__");

    assertThat(t.style()).isEqualTo(LanguageTokens.Style.M2M);
    assertThat(t.languages()).containsExactly("ast", "de", "en", "fr");
    assertThat(t.token("de")).isEqualTo("__de__");
    assertThat(t.token("__de__")).isEqualTo("__de__");
    assertThat(t.token("DE")).isEqualTo("__de__");
    assertThat(t.token("de-AT")).isEqualTo("__de__");
    assertThat(t.token("deu")).isEqualTo("__de__");
    assertThat(t.token("ast")).isEqualTo("__ast__");
    assertThat(t.code("__fr__")).isEqualTo("fr");
  }

  @Test
  void mbartTokensMapToTheirLanguagePart() {
    LanguageTokens t = find("en_XX", "de_DE", "zh_CN", "pt_XX", "<mask>");

    assertThat(t.style()).isEqualTo(LanguageTokens.Style.MBART);
    assertThat(t.languages()).containsExactly("de", "en", "pt", "zh");
    assertThat(t.token("de")).isEqualTo("de_DE");
    assertThat(t.token("de_DE")).isEqualTo("de_DE");
    assertThat(t.token("en_xx")).isEqualTo("en_XX");
    assertThat(t.token("zh-Hans")).isEqualTo("zh_CN");
  }

  @Test
  void nllbTokensMapThroughIso639Dash3() {
    LanguageTokens t = find("deu_Latn", "eng_Latn", "fra_Latn", "arb_Arab", "pes_Arab",
        "heb_Hebr", "ast_Latn");

    assertThat(t.style()).isEqualTo(LanguageTokens.Style.NLLB);
    // arb (Modern Standard Arabic) and pes (Iranian Persian) are individual languages of the
    // ISO 639-1 macrolanguages ar and fa; Asturian has no two-letter code.
    assertThat(t.languages()).containsExactly("ar", "ast_Latn", "de", "en", "fa", "fr", "he");
    assertThat(t.token("de")).isEqualTo("deu_Latn");
    assertThat(t.token("deu_Latn")).isEqualTo("deu_Latn");
    assertThat(t.token("DEU_LATN")).isEqualTo("deu_Latn");
    assertThat(t.token("deu")).isEqualTo("deu_Latn");
    assertThat(t.token("he")).isEqualTo("heb_Hebr");
    assertThat(t.token("ast_Latn")).isEqualTo("ast_Latn");
  }

  @Test
  void scriptVariantsShareTheIsoCodeWithTheFirstAlphabetically() {
    LanguageTokens t = find("zho_Hant", "zho_Hans", "eng_Latn");

    assertThat(t.languages()).containsExactly("en", "zh", "zho_Hant");
    assertThat(t.token("zh")).isEqualTo("zho_Hans");
    assertThat(t.token("zho_Hant")).isEqualTo("zho_Hant");
    assertThat(t.code("zho_Hant")).isEqualTo("zho_Hant");
  }

  @Test
  void anUnknownLanguageNamesTheLanguagesTheModelHas() {
    LanguageTokens t = find("__en__", "__de__");

    assertThatThrownBy(() -> t.token("fr"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'fr'").hasMessageContaining("de, en");
    assertThatThrownBy(() -> t.token("__fr__")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void modelsWithoutLanguageTokensAreNotMultilingual() {
    assertThat(LanguageTokens.find(List.of("<s>", "</s>", "<pad>", "<unk>", "<mask>"))).isEmpty();
    assertThat(LanguageTokens.find(List.of("</s>", "<unk>", "<pad>"))).isEmpty();
    // one token of a shape is a coincidence, not a language inventory
    assertThat(LanguageTokens.find(List.of("<s>", "__init__"))).isEmpty();
  }

  @Test
  void theMostCommonShapeWins() {
    LanguageTokens t = find("__en__", "__de__", "__fr__", "ab_CD", "ef_GH");

    assertThat(t.style()).isEqualTo(LanguageTokens.Style.M2M);
    assertThat(t.isLanguageToken("ab_CD")).isFalse();
  }

  @Test
  void iso639Dash3MapsToDash1() {
    assertThat(IsoLanguages.toAlpha2("deu")).isEqualTo("de");
    assertThat(IsoLanguages.toAlpha2("fra")).isEqualTo("fr");
    assertThat(IsoLanguages.toAlpha2("zho")).isEqualTo("zh");
    assertThat(IsoLanguages.toAlpha2("heb")).isEqualTo("he");
    assertThat(IsoLanguages.toAlpha2("ind")).isEqualTo("id");
    assertThat(IsoLanguages.toAlpha2("swh")).isEqualTo("sw");
    assertThat(IsoLanguages.toAlpha2("ast")).isNull();
  }
}
