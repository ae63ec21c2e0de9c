package dev.nlpstreams.text.chunking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class ChunkedTextTest {

  /** One token per word plus one special token, like a model with an end-of-sequence token. */
  private static final ToIntFunction<String> WORDS_PLUS_EOS = s -> {
    String t = s.strip();
    return (t.isEmpty() ? 0 : t.split("\\s+").length) + 1;
  };

  @Test
  void aTextThatFitsIsOneChunk() {
    ChunkedText c = ChunkedText.plan("One two three. Four.", WORDS_PLUS_EOS, 10, 5);
    assertThat(c.chunks()).containsExactly("One two three. Four.");
    assertThat(c.truncated()).isFalse();
    assertThat(c.stitch(List.of(" X "))).isEqualTo("X");
  }

  @Test
  void sentencesArePackedAndParagraphBreaksSurvive() {
    String text = "A b c. D e f.\n\nG h i. J k l.";
    ChunkedText c = ChunkedText.plan(text, WORDS_PLUS_EOS, 8, 5);
    assertThat(c.chunks()).containsExactly("A b c. D e f.", "G h i. J k l.");
    assertThat(c.gaps()).containsExactly("\n\n");
    assertThat(c.stitch(List.of("1", "2"))).isEqualTo("1\n\n2");
  }

  @Test
  void aPlanCountsTheTokensOfWhatItKeepsAndRoundTripsThroughItsSpans() {
    String text = "A b c. D e f.\n\nG h i. J k l. M n o.";
    ChunkedText c = ChunkedText.sentences(text, WORDS_PLUS_EOS, 8, 3);
    // Three sentences of 3 words + 1 special token kept; the fourth is past the chunk limit.
    assertThat(c.chunks()).containsExactly("A b c.", "D e f.", "G h i.");
    assertThat(c.tokens()).isEqualTo(12);
    assertThat(c.truncated()).isTrue();
    assertThat(c.spansText()).isEqualTo("0-6,7-13,15-21");

    ChunkedText kept = ChunkedText.ofSpans(text, ChunkedText.parseSpans(c.spansText()), true, 12);
    assertThat(kept).isEqualTo(c);
    assertThat(kept.gaps()).containsExactly(" ", "\n\n");
    assertThat(ChunkedText.plan("Fits.", WORDS_PLUS_EOS, 8, 3).tokens()).isEqualTo(2);
  }

  @Test
  void wordWindowsFitTheBudgetEvenWhenLineBreaksCostTokensOnlyInContext() {
    // Like a byte-level BPE tokenizer: each line break is a token of its own, which a word
    // tokenized alone never shows. A list without sentence punctuation is one long "sentence".
    ToIntFunction<String> bpeLike = s -> WORDS_PLUS_EOS.applyAsInt(s)
        + (int) s.strip().chars().filter(c -> c == '\n').count();
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      list.append("- item").append(i).append("\n\n");
    }
    String text = list.toString().strip();

    for (ChunkedText c : List.of(ChunkedText.plan(text, bpeLike, 20, 50),
        ChunkedText.sentences(text, bpeLike, 20, 50))) {
      assertThat(c.chunks()).allSatisfy(chunk ->
          assertThat(bpeLike.applyAsInt(chunk)).as(chunk).isLessThanOrEqualTo(20));
      assertThat(String.join(" ", c.chunks()).replaceAll("\\s+", " "))
          .isEqualTo(text.replaceAll("\\s+", " "));
      assertThat(c.tokens()).isEqualTo(c.chunks().stream().mapToInt(bpeLike::applyAsInt).sum());
      assertThat(c.truncated()).isFalse();
    }
  }

  @Test
  void spansOutOfOrderOrPastTheTextAreRefused() {
    assertThatThrownBy(() -> ChunkedText.ofSpans("abc def", ChunkedText.parseSpans("4-7,0-3"),
        false, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChunkedText.ofSpans("abc", ChunkedText.parseSpans("0-9"), false, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChunkedText.parseSpans("3"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyChunkFitsTheBudget() {
    String text = "one two three four five six seven eight nine ten eleven twelve thirteen. "
        + "Short one. Another short one here.";
    ChunkedText c = ChunkedText.plan(text, WORDS_PLUS_EOS, 5, 100);
    assertThat(c.chunks()).allSatisfy(chunk ->
        assertThat(WORDS_PLUS_EOS.applyAsInt(chunk)).isLessThanOrEqualTo(5));
    assertThat(String.join(" ", c.chunks())).isEqualTo(text.strip());
  }

  @Test
  void aWordLongerThanTheBudgetIsCutBetweenCharactersIntoWindowsThatFit() {
    ToIntFunction<String> chars = s -> s.length() + 1;
    ChunkedText c = ChunkedText.plan("ab cd supercalifragilistic ef", chars, 6, 10);
    assertThat(c.chunks()).containsExactly("ab cd", "super", "calif", "ragil", "istic", "ef");
    assertThat(c.truncated()).isFalse();
    assertThat(c.tokens()).isEqualTo(6 + 4 * 6 + 3);
    // The outputs are joined like any other chunks.
    assertThat(c.stitch(List.of("1", "2", "3", "4", "5", "6"))).isEqualTo("1 2 3 4 5 6");

    ChunkedText translation = ChunkedText.sentences("Go https://example.com/" + "a".repeat(40)
        + " now.", chars, 16, 10);
    assertThat(translation.chunks()).allSatisfy(chunk ->
        assertThat(chars.applyAsInt(chunk)).isLessThanOrEqualTo(16));
    assertThat(String.join("", translation.chunks()))
        .isEqualTo("Gohttps://example.com/" + "a".repeat(40) + "now.");
  }

  @Test
  void aCutInsideAWordNeverSplitsASurrogatePair() {
    // One token per code point plus one special token; every emoji is two chars.
    ToIntFunction<String> codePoints = s -> s.codePointCount(0, s.length()) + 1;
    String word = "\uD83D\uDE00".repeat(10);
    ChunkedText c = ChunkedText.sentences(word, codePoints, 4, 10);
    assertThat(c.chunks()).hasSize(4).allSatisfy(chunk -> {
      assertThat(Character.isLowSurrogate(chunk.charAt(0))).isFalse();
      assertThat(Character.isHighSurrogate(chunk.charAt(chunk.length() - 1))).isFalse();
    });
    assertThat(c.chunks().get(0)).isEqualTo("\uD83D\uDE00".repeat(3));
    assertThat(String.join("", c.chunks())).isEqualTo(word);

    // A budget that no single character fits still makes progress, one character at a time.
    ChunkedText tight = ChunkedText.sentences("\uD83D\uDE00x", s -> s.length() + 5, 3, 10);
    assertThat(tight.chunks()).containsExactly("\uD83D\uDE00", "x");
  }

  @Test
  void aHugeWordIsCutWithAFewTokenizationsPerWindow() {
    // About four characters per token, like a base64 blob under a subword tokenizer.
    int[] calls = {0};
    ToIntFunction<String> quarter = s -> {
      calls[0]++;
      return (s.length() + 3) / 4 + 2;
    };
    String blob = "QUJD".repeat(50_000);
    ChunkedText c = ChunkedText.sentences(blob, quarter, 512, 1_000);

    assertThat(c.truncated()).isFalse();
    assertThat(String.join("", c.chunks())).isEqualTo(blob);
    List<String> chunks = c.chunks();
    // Each window but the last is as long as fits: 2,040 characters, 512 tokens.
    assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(chunk ->
        assertThat(chunk).hasSize(2_040));
    assertThat(chunks).hasSize(99);
    // A binary search over about two windows' text per cut: a bounded number of calls per window.
    assertThat(calls[0]).isLessThan(c.chunks().size() * 40);
  }

  @Test
  void chunksBeyondTheLimitAreLeftOutAndFlagged() {
    ChunkedText c = ChunkedText.plan("A b. C d. E f. G h.", WORDS_PLUS_EOS, 3, 2);
    assertThat(c.chunks()).containsExactly("A b.", "C d.");
    assertThat(c.truncated()).isTrue();
  }

  @Test
  void forTranslationEverySentenceIsAChunkEvenWhenTheyWouldFitTogether() {
    String text = "A b c. D e f.\n\nG h i.";
    ChunkedText c = ChunkedText.sentences(text, WORDS_PLUS_EOS, 100, 10);
    assertThat(c.chunks()).containsExactly("A b c.", "D e f.", "G h i.");
    assertThat(c.gaps()).containsExactly(" ", "\n\n");
    assertThat(ChunkedText.sentences("One sentence only", WORDS_PLUS_EOS, 100, 10).chunks())
        .containsExactly("One sentence only");
    assertThat(ChunkedText.sentences("A b c d e f g.", WORDS_PLUS_EOS, 4, 10).chunks())
        .containsExactly("A b c", "d e f", "g.");
  }

  @Test
  void stitchesOutputsWithTheOriginalParagraphBreaks() {
    String source = "The dog runs. The cat sleeps.\n\nA bird sings.";
    ChunkedText c = ChunkedText.sentences(source, WORDS_PLUS_EOS, 5, 10);
    assertThat(c.chunks()).hasSize(3);
    assertThat(c.chunks().get(1)).isEqualTo("The cat sleeps.");
    String joined = c.stitch(
        List.of("Der Hund läuft. ", "Die Katze schläft.", "Ein Vogel singt."));
    assertThat(joined).isEqualTo("Der Hund läuft. Die Katze schläft.\n\nEin Vogel singt.");
  }

  @Test
  void refusesMismatches() {
    ChunkedText c = ChunkedText.sentences("One. Two.", WORDS_PLUS_EOS, 5, 10);
    assertThatThrownBy(() -> c.stitch(List.of("Eins."))).hasMessageContaining("1 outputs for 2 chunks");
  }
}
