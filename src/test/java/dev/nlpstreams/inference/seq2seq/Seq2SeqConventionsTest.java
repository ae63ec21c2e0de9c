package dev.nlpstreams.inference.seq2seq;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Source limits, special tokens and token ids as the files state them. */
class Seq2SeqConventionsTest {

  @Test
  void maxSourceTokensIsTheSmallerOfTheTokenizerAndPositionLimits() {
    assertThat(Seq2SeqConventions.maxSourceTokens(Map.of("max_position_embeddings", 1024),
        Map.of("model_max_length", 512))).isEqualTo(512);
    assertThat(Seq2SeqConventions.maxSourceTokens(Map.of("max_position_embeddings", 256),
        Map.of("model_max_length", 512))).isEqualTo(256);
    assertThat(Seq2SeqConventions.maxSourceTokens(Map.of("max_position_embeddings", 1024),
        Map.of())).isEqualTo(1024);
    // transformers' "no limit" sentinel is ignored
    assertThat(Seq2SeqConventions.maxSourceTokens(Map.of("max_position_embeddings", 1024),
        Map.of("model_max_length", 1.0e30))).isEqualTo(1024);
  }

  @Test
  void t5HasNoPositionLimitAndUsesItsTokenizerOr512() {
    assertThat(Seq2SeqConventions.maxSourceTokens(Map.of("model_type", "t5", "n_positions", 512),
        Map.of("model_max_length", 1000))).isEqualTo(1000);
    assertThat(Seq2SeqConventions.maxSourceTokens(Map.of("model_type", "t5"),
        Map.of("model_max_length", 1.0e30))).isEqualTo(512);
    assertThat(Seq2SeqConventions.maxSourceTokens(Map.of(), Map.of())).isEqualTo(512);
  }

  @Test
  void specialTokensComeFromAddedTokensAndTheTokenizerConfig() throws Exception {
    JsonNode tokenizer = new ObjectMapper().readTree("""
        {"added_tokens": [
          {"id": 0, "content": "<s>", "special": true},
          {"id": 5, "content": "hello", "special": false},
          {"id": 9, "content": "__en__", "special": true}],
         "model": {"type": "Unigram", "vocab": [["<s>", 0.0], ["<pad>", 0.0], ["__de__", 0.0]]}}
        """);
    Map<String, Object> tokenizerConfig = Map.of(
        "additional_special_tokens", List.of("__de__", Map.of("content", "__fr__")),
        "added_tokens_decoder", Map.of("7", Map.of("content", "__it__", "special", true),
            "8", Map.of("content", "plain", "special", false)));

    assertThat(Seq2SeqConventions.specialTokens(tokenizer, tokenizerConfig))
        .contains("<s>", "__en__", "__de__", "__fr__", "__it__")
        .doesNotContain("hello", "plain");
    Map<String, Long> ids = Seq2SeqConventions.tokenIds(tokenizer);
    assertThat(ids).containsEntry("__de__", 2L).containsEntry("__en__", 9L)
        .containsEntry("hello", 5L);
  }
}
