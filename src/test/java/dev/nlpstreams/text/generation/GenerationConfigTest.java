package dev.nlpstreams.text.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class GenerationConfigTest {

  /** Shaped like opus-mt-en-de's files. */
  private static final Map<String, Object> MARIAN_CONFIG = Map.of(
      "model_type", "marian", "d_model", 512, "decoder_start_token_id", 58100, "eos_token_id", 0,
      "pad_token_id", 58100, "max_length", 512, "num_beams", 4, "bad_words_ids", List.of(List.of(58100)));
  private static final Map<String, Object> MARIAN_GENERATION = Map.of(
      "max_length", 512, "num_beams", 6, "renormalize_logits", false, "do_sample", false);

  @Test
  void laterLayersWinAndLengthLimitsReplaceEachOther() {
    GenerationConfig c = GenerationConfig.fromLayers(List.of(MARIAN_CONFIG, MARIAN_GENERATION,
        Map.of("max_new_tokens", 64), Map.of("num_beams", 2)));

    assertThat(c.numBeams()).isEqualTo(2);
    assertThat(c.maxLength()).isEqualTo(65); // 64 new tokens + the start token
    assertThat(c.maxNewTokens()).isEqualTo(64);
    assertThat(c.decoderStartTokenId()).isEqualTo(58100);
    assertThat(c.eosTokenIds()).containsExactly(0);
    assertThat(c.padTokenId()).isEqualTo(OptionalInt.of(58100));
    assertThat(c.badWordsIds()).containsExactly(List.of(58100));

    GenerationConfig recordMax = GenerationConfig.fromLayers(List.of(MARIAN_CONFIG,
        Map.of("max_new_tokens", 64), Map.of("max_length", 30)));
    assertThat(recordMax.maxLength()).isEqualTo(30);
  }

  @Test
  void huggingFaceDefaultsAndPrecedenceWithinOneLayer() {
    GenerationConfig c = GenerationConfig.fromLayers(List.of(Map.of("decoder_start_token_id", 2,
        "max_length", 50, "max_new_tokens", 5, "min_length", 9, "min_new_tokens", 3)));
    assertThat(c.maxLength()).isEqualTo(6);
    assertThat(c.minLength()).isEqualTo(4);
    assertThat(c.minNewTokens()).isEqualTo(3);

    GenerationConfig d = GenerationConfig.fromLayers(List.of(Map.of("bos_token_id", 0, "eos_token_id", List.of(2, 3))));
    assertThat(d.maxLength()).isEqualTo(21);
    assertThat(d.decoderStartTokenId()).isEqualTo(0); // falls back to bos like HF
    assertThat(d.padTokenId()).isEqualTo(OptionalInt.of(2)); // pad defaults to the first eos
    assertThat(d.numBeams()).isEqualTo(1);
    assertThat(d.lengthPenalty()).isEqualTo(1.0);
    assertThat(d.earlyStopping()).isEqualTo(EarlyStopping.FALSE);
    assertThat(d.numReturnSequences()).isEqualTo(1);
  }

  @Test
  void parsesEarlyStoppingForms() {
    assertThat(parse("early_stopping", "never").earlyStopping()).isEqualTo(EarlyStopping.NEVER);
    assertThat(parse("early_stopping", true).earlyStopping()).isEqualTo(EarlyStopping.TRUE);
    assertThat(parse("early_stopping", false).earlyStopping()).isEqualTo(EarlyStopping.FALSE);
    assertThatThrownBy(() -> parse("early_stopping", "sometimes")).hasMessageContaining("\"never\"");
  }

  @Test
  void explicitNullUnsetsALowerLayer() {
    Map<String, Object> unset = new HashMap<>();
    unset.put("forced_bos_token_id", null);
    GenerationConfig c = GenerationConfig.fromLayers(Arrays.asList(
        Map.of("decoder_start_token_id", 2, "forced_bos_token_id", 7), unset));
    assertThat(c.forcedBosTokenId()).isEmpty();
  }

  @Test
  void rejectsBadValuesWithAMessageSayingWhatToChange() {
    assertThatThrownBy(() -> parse("num_beams", 0)).isInstanceOf(InvalidGenerationConfigException.class)
        .hasMessageContaining("num_beams is 0").hasMessageContaining("use 1 for greedy");
    assertThatThrownBy(() -> parse("num_beams", 2.5)).hasMessageContaining("num_beams must be an integer");
    assertThatThrownBy(() -> GenerationConfig.fromLayers(List.of(Map.of("decoder_start_token_id", 0,
        "num_beams", 2, "num_return_sequences", 3)))).hasMessageContaining("raise num_beams or lower num_return_sequences");
    assertThatThrownBy(() -> parse("max_new_tokens", 0)).hasMessageContaining("max_new_tokens is 0");
    assertThatThrownBy(() -> parse("max_length", 1)).hasMessageContaining("set max_new_tokens");
    assertThatThrownBy(() -> parse("repetition_penalty", 0.0)).hasMessageContaining("use 1.0 to disable");
    assertThatThrownBy(() -> parse("length_penalty", Double.NaN)).hasMessageContaining("length_penalty");
    assertThatThrownBy(() -> parse("eos_token_id", -1)).hasMessageContaining("eos_token_id is -1");
    assertThatThrownBy(() -> GenerationConfig.fromLayers(List.of(Map.of("eos_token_id", 1))))
        .hasMessageContaining("decoder_start_token_id is not set");
  }

  @Test
  void refusesSettingsItCannotHonourUnlessALaterLayerTurnsThemOff() {
    assertThatThrownBy(() -> parse("do_sample", true)).hasMessageContaining("set do_sample to false");
    assertThatThrownBy(() -> parse("num_beam_groups", 2)).hasMessageContaining("num_beam_groups");
    GenerationConfig ok = GenerationConfig.fromLayers(List.of(
        Map.of("decoder_start_token_id", 0, "do_sample", true, "num_beam_groups", 1, "diversity_penalty", 0.0),
        Map.of("do_sample", false)));
    assertThat(ok.numBeams()).isEqualTo(1);
  }

  private static GenerationConfig parse(String key, Object value) {
    return GenerationConfig.fromLayers(List.of(Map.of("decoder_start_token_id", 0), Map.of(key, value)));
  }
}
