package dev.nlpstreams.text.chunking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceSplitterTest {

  private static List<String> sentences(String text) {
    return SentenceSplitter.split(text).stream().map(s -> s.text(text)).toList();
  }

  @Test
  void splitsAtTerminatorsFollowedBySpace() {
    assertThat(sentences("The dog runs. The cat sleeps! Does it? Yes…  Done"))
        .containsExactly("The dog runs.", "The cat sleeps!", "Does it?", "Yes…", "Done");
  }

  @Test
  void abbreviationsInitialsAndNumbersDoNotEndSentences() {
    assertThat(sentences("Dr. Smith paid 3.50 dollars to J. K. Rowling, e.g. for books. Then he left."))
        .containsExactly("Dr. Smith paid 3.50 dollars to J. K. Rowling, e.g. for books.",
            "Then he left.");
  }

  @Test
  void closingQuotesAndBracketsStayWithTheirSentence() {
    assertThat(sentences("He said \"Stop!\" Then (quietly.) he left."))
        .containsExactly("He said \"Stop!\"", "Then (quietly.)", "he left.");
  }

  @Test
  void cjkTerminatorsNeedNoSpace() {
    assertThat(sentences("東京に行きました。大阪も好きです！本当？"))
        .containsExactly("東京に行きました。", "大阪も好きです！", "本当？");
  }

  @Test
  void repeatedTerminatorsAreOneBoundary() {
    assertThat(sentences("Really?! Wait... What")).containsExactly("Really?!", "Wait...", "What");
  }

  @Test
  void spansTileTheTextAndKeepTheGaps() {
    String text = "  One.  Two!\n\nThree  ";
    List<SentenceSplitter.Span> spans = SentenceSplitter.split(text);
    assertThat(spans).containsExactly(new SentenceSplitter.Span(2, 6, 8),
        new SentenceSplitter.Span(8, 12, 14), new SentenceSplitter.Span(14, 19, 21));
    assertThat(spans.get(1).gap(text)).isEqualTo("\n\n");
    // Every character after the leading whitespace is in exactly one sentence or gap.
    for (int i = 1; i < spans.size(); i++) {
      assertThat(spans.get(i).start()).isEqualTo(spans.get(i - 1).next());
    }
    assertThat(spans.get(spans.size() - 1).next()).isEqualTo(text.length());
  }

  @Test
  void emptyAndBlankTextsHaveNoSentences() {
    assertThat(SentenceSplitter.split("")).isEmpty();
    assertThat(SentenceSplitter.split(" \n\t ")).isEmpty();
  }
}
