package dev.nlpstreams.inference.seq2seq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Templates as real tokenizer.json files write them, assembled without a tokenizer. */
class SourceTemplateTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long[] TEXT = {100, 101, 102};

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  /** TemplateProcessing with the given single items and special tokens {name: id}. */
  private static JsonNode template(String single, String specials) throws Exception {
    return json("{'type': 'TemplateProcessing', 'single': [" + single + "], 'pair': [],"
        + " 'special_tokens': {" + specials + "}}");
  }

  private static String special(String id) {
    return "{'SpecialToken': {'id': '" + id + "', 'type_id': 0}}";
  }

  private static final String TEXT_ITEM = "{'Sequence': {'id': 'A', 'type_id': 0}}";

  private static String ids(String token, long id) {
    return "'" + token + "': {'id': '" + token + "', 'ids': [" + id + "], 'tokens': ['" + token
        + "']}";
  }

  private static final Pattern M2M = Pattern.compile("__[a-z]{2,3}__");
  private static final Pattern NLLB = Pattern.compile("[a-z]{3}_[A-Z][a-z]{3}");

  @Test
  void m2mPutsTheLanguageFirstAndItIsReplacedPerRequest() throws Exception {
    SourceTemplate t = SourceTemplate.fromPostProcessor(template(
        special("__en__") + "," + TEXT_ITEM + "," + special("</s>"),
        ids("__en__", 128022) + "," + ids("</s>", 2)));

    assertThat(t).hasToString("__en__ $A </s>");
    assertThat(t.specialTokenCount()).isEqualTo(2);
    assertThat(t.assemble(TEXT)).containsExactly(128022, 100, 101, 102, 2);
    assertThat(t.assemble(TEXT, s -> M2M.matcher(s).matches(), 128020))
        .containsExactly(128020, 100, 101, 102, 2);
    assertThat(t.firstSpecialToken(s -> M2M.matcher(s).matches())).hasValue("__en__");
  }

  @Test
  void legacyNllbPutsTheLanguageLast() throws Exception {
    SourceTemplate t = SourceTemplate.fromPostProcessor(template(
        TEXT_ITEM + "," + special("</s>") + "," + special("eng_Latn"),
        ids("eng_Latn", 256047) + "," + ids("</s>", 2)));

    assertThat(t.assemble(TEXT, s -> NLLB.matcher(s).matches(), 256042))
        .containsExactly(100, 101, 102, 2, 256042);
  }

  @Test
  void onlyTheFirstLanguageTokenIsReplaced() throws Exception {
    SourceTemplate t = SourceTemplate.fromPostProcessor(template(
        special("__en__") + "," + TEXT_ITEM + "," + special("__en__"),
        ids("__en__", 7)));

    assertThat(t.assemble(TEXT, s -> M2M.matcher(s).matches(), 9))
        .containsExactly(9, 100, 101, 102, 7);
  }

  @Test
  void robertaProcessingIsClsTextSep() throws Exception {
    SourceTemplate t = SourceTemplate.fromPostProcessor(json("{'type': 'RobertaProcessing',"
        + " 'sep': ['</s>', 2], 'cls': ['<s>', 0], 'trim_offsets': true,"
        + " 'add_prefix_space': false}"));

    assertThat(t).hasToString("<s> $A </s>");
    assertThat(t.assemble(TEXT)).containsExactly(0, 100, 101, 102, 2);
  }

  @Test
  void aSequenceOfProcessorsUsesTheOneThatAddsTokens() throws Exception {
    SourceTemplate t = SourceTemplate.fromPostProcessor(json("{'type': 'Sequence', 'processors': ["
        + "{'type': 'ByteLevel', 'add_prefix_space': true, 'trim_offsets': false},"
        + "{'type': 'TemplateProcessing', 'single': [" + TEXT_ITEM + "," + special("</s>") + "],"
        + " 'pair': [], 'special_tokens': {" + ids("</s>", 1) + "}}]}"));

    assertThat(t.assemble(TEXT)).containsExactly(100, 101, 102, 1);
  }

  @Test
  void noPostProcessorOrAByteLevelOneAddsNothing() throws Exception {
    assertThat(SourceTemplate.fromPostProcessor(null).assemble(TEXT)).containsExactly(TEXT);
    assertThat(SourceTemplate.fromPostProcessor(json("null")).assemble(TEXT)).containsExactly(TEXT);
    assertThat(SourceTemplate.fromPostProcessor(json("{'type': 'ByteLevel'}")).assemble(TEXT))
        .containsExactly(TEXT);
  }

  @Test
  void multiIdSpecialTokensAndEmptyTextWork() throws Exception {
    SourceTemplate t = SourceTemplate.fromPostProcessor(template(
        special("[X]") + "," + TEXT_ITEM, "'[X]': {'id': '[X]', 'ids': [5, 6], 'tokens': ['a', 'b']}"));

    assertThat(t.assemble(new long[0])).containsExactly(5, 6);
    assertThat(t.specialTokenCount()).isEqualTo(2);
  }

  @Test
  void aSpecialTokenWithoutIdsIsRejected() throws Exception {
    assertThatThrownBy(() -> SourceTemplate.fromPostProcessor(template(special("</s>"), "")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("</s>");
  }
}
