package dev.nlpstreams.text.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PoolingConfigTest {

  private static final String SOURCE = "1_Pooling/config.json";

  @Test
  void readsTheMeanPoolingConfigSentenceTransformersWrites() {
    PoolingConfig config = PoolingConfig.parse("""
        {"word_embedding_dimension": 384, "pooling_mode_cls_token": false,
         "pooling_mode_mean_tokens": true, "pooling_mode_max_tokens": false,
         "pooling_mode_mean_sqrt_len_tokens": false}""", SOURCE);

    assertThat(config).isEqualTo(PoolingConfig.mean(384));
    assertThat(config.outputDimension()).isEqualTo(384);
  }

  @Test
  void readsClsAndMaxAndIgnoresKeysItDoesNotNeed() {
    assertThat(PoolingConfig.parse("""
        {"word_embedding_dimension": 768, "pooling_mode_cls_token": true,
         "include_prompt": true}""", SOURCE).modes()).containsExactly(PoolingMode.CLS);
    assertThat(PoolingConfig.parse("""
        {"word_embedding_dimension": 8, "pooling_mode_max_tokens": true,
         "pooling_mode_weightedmean_tokens": false, "pooling_mode_lasttoken": false}""", SOURCE)
        .modes()).containsExactly(PoolingMode.MAX);
  }

  @Test
  void severalModesConcatenateInSentenceTransformersOrder() {
    PoolingConfig config = PoolingConfig.parse("""
        {"word_embedding_dimension": 4, "pooling_mode_mean_tokens": true,
         "pooling_mode_cls_token": true, "pooling_mode_max_tokens": true}""", SOURCE);

    assertThat(config.modes())
        .containsExactly(PoolingMode.CLS, PoolingMode.MAX, PoolingMode.MEAN);
    assertThat(config.outputDimension()).isEqualTo(12);
    assertThat(config.label()).isEqualTo("cls+max+mean");
    assertThat(PoolingConfig.mean(4).label()).isEqualTo("mean");
    assertThat(new PoolingConfig(4, List.of(PoolingMode.MEAN_SQRT_LEN)).label())
        .isEqualTo("mean_sqrt_len");
    assertThat(new PoolingConfig(4, List.of(PoolingMode.MEAN, PoolingMode.CLS)).modes())
        .containsExactly(PoolingMode.CLS, PoolingMode.MEAN);
  }

  @Test
  void refusesConfigsItCannotHonourWithAMessageThatSaysWhy() {
    assertThatThrownBy(() -> PoolingConfig.parse("""
        {"word_embedding_dimension": 384, "pooling_mode_lasttoken": true}""", SOURCE))
        .hasMessageContaining("pooling_mode_lasttoken").hasMessageContaining("does not implement");
    assertThatThrownBy(() -> PoolingConfig.parse("""
        {"word_embedding_dimension": 384, "pooling_mode_mean_tokens": false}""", SOURCE))
        .hasMessageContaining("turns on no pooling mode");
    assertThatThrownBy(() -> PoolingConfig.parse("""
        {"pooling_mode_mean_tokens": true}""", SOURCE))
        .hasMessageContaining("word_embedding_dimension must be a positive integer");
    assertThatThrownBy(() -> PoolingConfig.parse("""
        {"word_embedding_dimension": 384.5, "pooling_mode_mean_tokens": true}""", SOURCE))
        .hasMessageContaining("word_embedding_dimension");
    assertThatThrownBy(() -> PoolingConfig.parse("""
        {"word_embedding_dimension": 384, "pooling_mode_mean_tokens": "yes"}""", SOURCE))
        .hasMessageContaining("pooling_mode_mean_tokens must be true or false");
    assertThatThrownBy(() -> PoolingConfig.parse("[1, 2]", SOURCE))
        .hasMessageContaining("JSON object");
    assertThatThrownBy(() -> PoolingConfig.parse("{", SOURCE))
        .hasMessageStartingWith(SOURCE + " is not valid JSON");
  }

  @Test
  void refusesRepeatedOrMissingModes() {
    assertThatThrownBy(() -> new PoolingConfig(4, List.of(PoolingMode.MEAN, PoolingMode.MEAN)))
        .hasMessageContaining("repeat");
    assertThatThrownBy(() -> new PoolingConfig(4, List.of()))
        .hasMessageContaining("At least one");
    assertThatThrownBy(() -> PoolingConfig.mean(0))
        .hasMessageContaining("at least 1");
  }
}
