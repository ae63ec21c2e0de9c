package dev.nlpstreams.inference.seq2seq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nlpstreams.text.task.GenerationPurpose;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Prefix and settings selection as the Hugging Face pipelines do it, on t5-small's config. */
class TaskPrefixesTest {

  /** The task_specific_params of t5-small's config.json. */
  private static final String T5_SMALL = """
      {"model_type": "t5", "task_specific_params": {
        "summarization": {"early_stopping": true, "length_penalty": 2.0, "max_length": 200,
          "min_length": 30, "no_repeat_ngram_size": 3, "num_beams": 4, "prefix": "summarize: "},
        "translation_en_to_de": {"early_stopping": true, "max_length": 300, "num_beams": 4,
          "prefix": "translate English to German: "},
        "translation_en_to_fr": {"early_stopping": true, "max_length": 300, "num_beams": 4,
          "prefix": "translate English to French: "},
        "translation_en_to_ro": {"early_stopping": true, "max_length": 300, "num_beams": 4,
          "prefix": "translate English to Romanian: "}}}
      """;

  @SuppressWarnings("unchecked")
  private static TaskPrefixes of(String json) throws Exception {
    return TaskPrefixes.fromConfig(new ObjectMapper().readValue(json, Map.class));
  }

  @Test
  void summarizationTakesItsPrefixAndItsSettingsWithoutThePrefix() throws Exception {
    TaskPrefixes.Selection s = of(T5_SMALL).select(GenerationPurpose.SUMMARIZE, null, null);

    assertThat(s.task()).isEqualTo("summarization");
    assertThat(s.prefix()).isEqualTo("summarize: ");
    assertThat(s.overrides()).containsEntry("num_beams", 4).containsEntry("min_length", 30)
        .containsEntry("length_penalty", 2.0).doesNotContainKey("prefix");
  }

  @Test
  void translationPicksTheEntryOfTheRequestedDirection() throws Exception {
    TaskPrefixes p = of(T5_SMALL);

    assertThat(p.pairs()).containsExactly("en->de", "en->fr", "en->ro");
    assertThat(p.select(GenerationPurpose.TRANSLATE, "en", "fr").prefix())
        .isEqualTo("translate English to French: ");
    assertThat(p.select(GenerationPurpose.TRANSLATE, "EN-us", "de").task())
        .isEqualTo("translation_en_to_de");
    // unknown source: the first entry into the target
    assertThat(p.select(GenerationPurpose.TRANSLATE, null, "ro").prefix())
        .isEqualTo("translate English to Romanian: ");
    // no languages at all: pipeline("translation") takes the first translation entry
    assertThat(p.select(GenerationPurpose.TRANSLATE, null, null).task())
        .isEqualTo("translation_en_to_de");
  }

  @Test
  void aDirectionWithoutPrefixNamesTheDeclaredOnes() throws Exception {
    assertThatThrownBy(() -> of(T5_SMALL).select(GenerationPurpose.TRANSLATE, "de", "en"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("en->de, en->fr, en->ro").hasMessageContaining("de->en");
  }

  @Test
  void modelsWithoutTaskParamsGetTheModelPrefixOrNothing() throws Exception {
    TaskPrefixes none = of("{\"model_type\": \"marian\"}");
    assertThat(none.pairs()).isEmpty();
    assertThat(none.select(GenerationPurpose.TRANSLATE, "en", "de").prefix()).isEmpty();
    assertThat(none.select(GenerationPurpose.SUMMARIZE, null, null).overrides()).isEmpty();

    TaskPrefixes global = of("{\"prefix\": \" \"}");
    assertThat(global.select(GenerationPurpose.SUMMARIZE, null, null).prefix()).isEqualTo(" ");
  }

  @Test
  void anEntryWithoutPrefixKeepsTheModelPrefixAndStillOverrides() throws Exception {
    // bart-large-cnn style: summarization settings, no prefix of its own
    TaskPrefixes p = of("""
        {"prefix": " ", "task_specific_params": {"summarization": {"num_beams": 4,
          "length_penalty": 2.0, "max_length": 142, "min_length": 56}}}
        """);

    TaskPrefixes.Selection s = p.select(GenerationPurpose.SUMMARIZE, null, null);
    assertThat(s.prefix()).isEqualTo(" ");
    assertThat(s.overrides()).containsEntry("max_length", 142);
    assertThat(p.select(GenerationPurpose.TRANSLATE, "en", "de").task()).isNull();
  }
}
