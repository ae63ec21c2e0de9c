package dev.nlpstreams.inference.seq2seq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.text.generation.EarlyStopping;
import dev.nlpstreams.text.generation.GenerationConfig;
import dev.nlpstreams.text.task.GeneratedText;
import dev.nlpstreams.text.task.GenerationRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tiny T5 through the contract: t5-small's task_specific_params give the prefix of each
 * purpose and, through {@code defaultLayers(request)}, that task's generation settings.
 */
class T5ConventionsTest {

  static final Path MODEL = Path.of("models/tiny/t5-tiny");
  private static final String TEXT = "The dog runs. My old cat sleeps today.";

  private static OnnxTextGenerator t5;

  @BeforeAll
  static void load() {
    t5 = OnnxTextGenerator.load(MODEL, "t5", InferenceSettings.cpuDefaults());
  }

  @AfterAll
  static void close() {
    t5.close();
  }

  @Test
  void declaresItsPrefixedPairAndNoLanguageTokens() {
    assertThat(t5.prefixedLanguagePairs()).containsExactly("en->de");
    assertThat(t5.languages()).isEmpty();
    // no position embeddings: the tokenizer's model_max_length (512)
    assertThat(t5.maxSourceTokens()).isEqualTo(512);
  }

  @Test
  void theSourceIsThePrefixedTextWithTheTemplatesEos() {
    Seq2SeqModel model = t5.model();
    assertThat(t5.sourceIds(GenerationRequest.summarize(TEXT)))
        .containsExactly(model.tokenize("summarize: " + TEXT));
    assertThat(t5.sourceIds(GenerationRequest.translate(TEXT, "en", "de")))
        .containsExactly(model.tokenize("translate English to German: " + TEXT));
    assertThat(t5.countTokens(GenerationRequest.summarize(TEXT)))
        .isEqualTo(model.tokenize("summarize: " + TEXT).length);
    // the same request without a direction: the first translation entry, as pipeline("translation")
    assertThat(t5.sourceIds(GenerationRequest.translate(TEXT, null, null)))
        .containsExactly(model.tokenize("translate English to German: " + TEXT));
  }

  @Test
  void anUndeclaredDirectionIsRejected() {
    assertThatThrownBy(() -> t5.countTokens(GenerationRequest.translate(TEXT, "en", "fr")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("en->de");
  }

  @Test
  void taskSettingsLayerAboveTheModelFiles() {
    GenerationConfig summary = GenerationConfig.fromLayers(
        t5.defaultLayers(GenerationRequest.summarize(TEXT)));
    assertThat(summary.numBeams()).isEqualTo(4);
    assertThat(summary.noRepeatNgramSize()).isEqualTo(3);
    assertThat(summary.lengthPenalty()).isEqualTo(2.0);
    assertThat(summary.minLength()).isEqualTo(5);
    assertThat(summary.earlyStopping()).isEqualTo(EarlyStopping.TRUE);
    // T5 starts the decoder with its pad token
    assertThat(summary.decoderStartTokenId()).isZero();

    GenerationConfig plain = GenerationConfig.fromLayers(t5.defaultLayers());
    assertThat(plain.numBeams()).isEqualTo(1);
  }

  @Test
  void beamSearchWithTheTaskSettingsRunsOnBothTasks() throws Exception {
    List<GenerationRequest> requests = List.of(GenerationRequest.summarize(TEXT),
        GenerationRequest.translate("the dog runs.", "en", "de"));
    for (GenerationRequest request : requests) {
      GenerationConfig config = GenerationConfig.fromLayers(t5.defaultLayers(request));
      GeneratedText out = t5.generate(List.of(request), config).get(0);
      assertThat(out.tokenIds()).isNotEmpty();
      assertThat(config.isEos(out.tokenIds()[out.tokenIds().length - 1])).isTrue();
      assertThat(out.text()).isNotBlank();
      assertThat(out.sourceTokens()).isEqualTo(t5.countTokens(request));
    }
  }
}
