package dev.nlpstreams.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** How a token-classification model directory's tokenizer names its unknown token. */
class TokenClassificationModelDirTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode tokenizerModel(Path tokenizerJson) throws Exception {
    return JSON.readTree(tokenizerJson.toFile()).path("model");
  }

  @Test
  void wordPieceAndBpeNameTheirUnknownToken() throws Exception {
    assertThat(TokenClassificationModelDir.unknownToken(
        tokenizerModel(Path.of("models/tiny/ner-bert-wordpiece/tokenizer.json"))))
        .isEqualTo("[UNK]");
    assertThat(TokenClassificationModelDir.unknownToken(JSON.readTree(
        "{\"type\":\"BPE\",\"unk_token\":\"<unk>\"}"))).isEqualTo("<unk>");
  }

  @Test
  void unigramGivesItsUnknownTokenByIdIntoTheVocab() throws Exception {
    // A real Unigram tokenizer.json of the project's models (as XLM-R and CamemBERT ship theirs).
    JsonNode t5 = tokenizerModel(Path.of("models/tiny/t5-tiny/tokenizer.json"));
    assertThat(t5.path("type").asText()).isEqualTo("Unigram");
    assertThat(t5.has("unk_token")).isFalse();
    assertThat(TokenClassificationModelDir.unknownToken(t5))
        .isEqualTo(t5.path("vocab").get(t5.path("unk_id").asInt()).get(0).asText())
        .isEqualTo("<unk>");
  }

  @Test
  void noUnknownTokenIsNull() throws Exception {
    assertThat(TokenClassificationModelDir.unknownToken(JSON.readTree(
        "{\"type\":\"Unigram\",\"unk_id\":null,\"vocab\":[[\"a\",0.0]]}"))).isNull();
    assertThat(TokenClassificationModelDir.unknownToken(JSON.readTree(
        "{\"type\":\"Unigram\",\"unk_id\":5,\"vocab\":[[\"a\",0.0]]}"))).isNull();
    assertThat(TokenClassificationModelDir.unknownToken(JSON.readTree("{}"))).isNull();
  }
}
