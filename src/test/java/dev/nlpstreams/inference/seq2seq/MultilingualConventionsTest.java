package dev.nlpstreams.inference.seq2seq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.text.generation.GenerationConfig;
import dev.nlpstreams.text.task.GeneratedText;
import dev.nlpstreams.text.task.GenerationRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tiny M2M-100 through the contract: its language tokens ({@code __de__} 548, {@code __en__}
 * 549, {@code __fr__} 550) found among the special tokens, the source language in the template's
 * first slot and every row's own target language forced first, in one batch.
 */
class MultilingualConventionsTest {

  static final Path MODEL = Path.of("models/tiny/m2m-tiny-multilingual");
  private static final long EOS = 2;

  private static OnnxTextGenerator m2m;

  @BeforeAll
  static void load() {
    m2m = OnnxTextGenerator.load(MODEL, "m2m", InferenceSettings.cpuDefaults());
  }

  @AfterAll
  static void close() {
    m2m.close();
  }

  private static GenerationConfig greedy() {
    return GenerationConfig.fromLayers(m2m.defaultLayers());
  }

  @Test
  void languagesComeFromTheSpecialTokens() {
    assertThat(m2m.languages()).containsExactlyInAnyOrder("de", "en", "fr");
    assertThat(m2m.prefixedLanguagePairs()).isEmpty();
    assertThat(m2m.maxSourceTokens()).isEqualTo(256);
  }

  @Test
  void theSourceLanguageReplacesTheTemplatesLanguageToken() {
    long[] text = m2m.model().ids("der Hund läuft.", false);
    long[] ids = m2m.sourceIds(GenerationRequest.translate("der Hund läuft.", "de", "en"));

    assertThat(ids[0]).isEqualTo(548);
    assertThat(ids).hasSize(text.length + 2);
    assertThat(ids[ids.length - 1]).isEqualTo(EOS);
    // the template's own language (en) without a source language, exactly the tokenizer's ids
    assertThat(m2m.sourceIds(GenerationRequest.translate("the dog runs.", null, "de")))
        .containsExactly(m2m.model().tokenize("the dog runs."));
    // assembling with the template's own language equals the tokenizer's post-processor
    assertThat(m2m.sourceIds(GenerationRequest.translate("the dog runs.", "en", "de")))
        .containsExactly(m2m.model().tokenize("the dog runs."));
    // every accepted spelling of a language gives the same ids
    for (String de : List.of("de", "DE", "__de__", "de-AT", "deu")) {
      assertThat(m2m.sourceIds(GenerationRequest.translate("der Hund läuft.", de, "en")))
          .as(de).containsExactly(ids);
    }
  }

  @Test
  void oneBatchMixesDirectionsAndForcesEachRowsTarget() throws Exception {
    List<GenerationRequest> requests = List.of(
        GenerationRequest.translate("the dog runs.", "en", "de"),
        GenerationRequest.translate("the dog runs.", "en", "fr"),
        GenerationRequest.translate("meine Katze alt schläft heute.", "de", "en"),
        GenerationRequest.translate("the dog runs.", "en", "__fr__"));

    List<GeneratedText> out = m2m.generate(requests, greedy(), true);

    assertThat(out.get(0).tokenIds()[0]).isEqualTo(548);
    assertThat(out.get(0).text()).isEqualTo("der Hund läuft.");
    assertThat(out.get(1).tokenIds()[0]).isEqualTo(550);
    assertThat(out.get(1).text()).isEqualTo("le chien court.");
    assertThat(out.get(2).tokenIds()[0]).isEqualTo(549);
    assertThat(out.get(2).text()).isEqualTo("my old cat sleeps today.");
    assertThat(out.get(3).tokenIds()).isEqualTo(out.get(1).tokenIds());
    for (int i = 0; i < requests.size(); i++) {
      GeneratedText single = m2m.generate(List.of(requests.get(i)), greedy()).get(0);
      assertThat(out.get(i).tokenIds()).as("row %d alone", i).isEqualTo(single.tokenIds());
    }
  }

  @Test
  void beamSearchForcesEachRowsTargetToo() throws Exception {
    GenerationConfig beams = GenerationConfig.fromLayers(List.of(m2m.defaultLayers().get(0),
        m2m.defaultLayers().get(1), Map.of("num_beams", 3)));
    List<GeneratedText> out = m2m.generate(List.of(
        GenerationRequest.translate("the dog runs.", "en", "de"),
        GenerationRequest.translate("the dog runs.", "en", "fr")), beams);

    assertThat(out.get(0).tokenIds()[0]).isEqualTo(548);
    assertThat(out.get(1).tokenIds()[0]).isEqualTo(550);
  }

  @Test
  void languagesTheModelLacksAreRejectedWithTheOnesItHas() {
    GenerationRequest toJapanese = GenerationRequest.translate("the dog runs.", "en", "ja");
    assertThatThrownBy(() -> m2m.generate(List.of(toJapanese), greedy()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("de, en, fr");
    assertThatThrownBy(() -> m2m.countTokens(GenerationRequest.translate("x", "it", "en")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'it'");
    assertThatThrownBy(() -> m2m.generate(List.of(GenerationRequest.translate("x", "en", null)),
        greedy())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a target language");
  }
}
