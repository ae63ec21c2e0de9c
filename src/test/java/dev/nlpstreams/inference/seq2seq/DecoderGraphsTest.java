package dev.nlpstreams.inference.seq2seq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which decoder outputs and inputs the step treats specially, read from their Optimum names. */
class DecoderGraphsTest {

  @Test
  void onlyCrossAttentionOutputsWithAMatchingPastInputPassThrough() {
    Set<String> outputs = Set.of("logits", "present.0.decoder.key", "present.0.encoder.key",
        "present.0.encoder.value", "present.1.encoder.key");
    Set<String> inputs = Set.of("input_ids", "past_key_values.0.decoder.key",
        "past_key_values.0.encoder.key", "past_key_values.0.encoder.value");
    assertThat(DecoderGraphs.passThroughOutputs(outputs, inputs)).isEqualTo(Map.of(
        "present.0.encoder.key", "past_key_values.0.encoder.key",
        "present.0.encoder.value", "past_key_values.0.encoder.value"));
    // Optimum's split with-past decoder returns no cross-attention cache: nothing to pin.
    assertThat(DecoderGraphs.passThroughOutputs(Set.of("logits", "present.0.decoder.key"),
        inputs)).isEmpty();
  }

  @Test
  void theSelfAttentionCacheIsTheOnlyRowInputThatFollowsTheDecodersTokens() {
    assertThat(DecoderGraphs.isDecoderCacheInput("past_key_values.3.decoder.key")).isTrue();
    assertThat(DecoderGraphs.isDecoderCacheInput("past_key_values.3.decoder.value")).isTrue();
    assertThat(DecoderGraphs.isDecoderCacheInput("past_key_values.3.encoder.key")).isFalse();
    assertThat(DecoderGraphs.isDecoderCacheInput("encoder_hidden_states")).isFalse();
    assertThat(DecoderGraphs.isDecoderCacheInput("encoder_attention_mask")).isFalse();
  }
}
