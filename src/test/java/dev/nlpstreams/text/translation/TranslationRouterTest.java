package dev.nlpstreams.text.translation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TranslationRouterTest {

  private static final TranslationModelCapabilities MARIAN_EN_DE =
      new TranslationModelCapabilities("opus-mt-en-de", Set.of(LanguagePair.parse("en->de")),
          Set.of());
  private static final TranslationModelCapabilities MARIAN_DE_EN =
      new TranslationModelCapabilities("opus-mt-de-en", Set.of(LanguagePair.parse("de-en")),
          Set.of());
  private static final TranslationModelCapabilities M2M =
      new TranslationModelCapabilities("m2m100", Set.of(), Set.of("en", "de", "fr"));
  private static final TranslationModelCapabilities T5 =
      new TranslationModelCapabilities("t5-small",
          Set.of(LanguagePair.parse("en->de"), LanguagePair.parse("en->fr")), Set.of());

  private final TranslationRouter router =
      new TranslationRouter(List.of(M2M, MARIAN_EN_DE, MARIAN_DE_EN), "de", true);

  private static TranslationRouter.Route route(TranslationRouter.Decision d) {
    assertThat(d).isInstanceOf(TranslationRouter.Route.class);
    return (TranslationRouter.Route) d;
  }

  private static String rejection(TranslationRouter.Decision d) {
    assertThat(d).isInstanceOf(TranslationRouter.Rejection.class);
    return ((TranslationRouter.Rejection) d).message();
  }

  @Test
  void aSinglePairModelWinsOverAMultilingualOneListedEarlier() {
    TranslationRouter.Route r = route(router.route("the dog", "en", "de", null));
    assertThat(r.model()).isEqualTo("opus-mt-en-de");
    assertThat(route(router.route("der Hund", "de", "en", null)).model())
        .isEqualTo("opus-mt-de-en");
    assertThat(route(router.route("the dog", "en", "fr", null)).model()).isEqualTo("m2m100");
  }

  @Test
  void languageTagsAreNormalised() {
    TranslationRouter.Route r = route(router.route("the dog", "en-US", "DE_at", null));
    assertThat(r.sourceLanguage()).isEqualTo("en");
    assertThat(r.targetLanguage()).isEqualTo("de");
  }

  @Test
  void theDefaultTargetAppliesWhenTheRecordNamesNone() {
    assertThat(route(router.route("the dog", "en", null, null)).targetLanguage()).isEqualTo("de");
    TranslationRouter noDefault = new TranslationRouter(List.of(M2M), " ", true);
    assertThat(rejection(noDefault.route("the dog", "en", null, null)))
        .contains("No target language", "target_language");
  }

  @Test
  void aMissingSourceIsDetectedAndSaidSo() {
    TranslationRouter.Route r = route(router.route("der Hund und die Katze", null, "en", null));
    assertThat(r.sourceLanguage()).isEqualTo("de");
    assertThat(r.sourceDetected()).isTrue();
    assertThat(r.model()).isEqualTo("opus-mt-de-en");
  }

  @Test
  void withDetectionOffOrInconclusiveTheTargetAloneRoutes() {
    TranslationRouter off = new TranslationRouter(List.of(MARIAN_DE_EN, M2M), "en", false);
    TranslationRouter.Route r = route(off.route("der Hund und die Katze", null, "en", null));
    assertThat(r.sourceLanguage()).isNull();
    assertThat(r.sourceDetected()).isFalse();
    assertThat(r.model()).isEqualTo("opus-mt-de-en");
    TranslationRouter.Route unknown = route(router.route("Berlin!", null, "fr", null));
    assertThat(unknown.sourceLanguage()).isNull();
    assertThat(unknown.model()).isEqualTo("m2m100");
  }

  @Test
  void aNamedModelIsUsedIfItCanDoTheDirection() {
    assertThat(route(router.route("the dog", "en", "de", "m2m100")).model()).isEqualTo("m2m100");
    assertThat(rejection(router.route("the dog", "en", "fr", "opus-mt-en-de")))
        .contains("opus-mt-en-de (en->de)", "'en' into 'fr'");
    assertThat(rejection(router.route("the dog", "en", "de", "nope")))
        .contains("'nope'", "m2m100 (between any of de, en, fr)");
  }

  @Test
  void noModelForTheDirectionIsARejectionThatListsWhatExists() {
    assertThat(rejection(router.route("the dog", "en", "ja", null)))
        .contains("'en' into 'ja'", "opus-mt-en-de (en->de)", "nlp.translation.models");
    assertThat(rejection(router.route("le chien", "fr", "ja", null))).contains("'fr'");
    // A multilingual model does not translate a language it lacks.
    assertThat(rejection(router.route("x", "it", "de", null))).contains("'it'");
  }

  @Test
  void sameSourceAndTargetIsAPassthrough() {
    TranslationRouter.Route r = route(router.route("der Hund", "de", "de", null));
    assertThat(r.passthrough()).isTrue();
  }

  @Test
  void prefixDeclaredPairsRouteLikeConfiguredOnes() {
    TranslationRouter t5 = new TranslationRouter(List.of(T5), null, true);
    assertThat(route(t5.route("the dog", "en", "fr", null)).model()).isEqualTo("t5-small");
    assertThat(rejection(t5.route("der Hund", "de", "fr", null))).contains("t5-small (en->de, en->fr)");
  }

  @Test
  void duplicateNamesAndBadPairsAreRefused() {
    assertThatThrownBy(() -> new TranslationRouter(List.of(M2M, M2M), "de", true))
        .hasMessageContaining("m2m100");
    assertThatThrownBy(() -> LanguagePair.parse("english"))
        .hasMessageContaining("source->target");
  }
}
