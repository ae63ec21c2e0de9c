package dev.nlpstreams.text.ner;

import static dev.nlpstreams.text.ner.AggregationStrategy.AVERAGE;
import static dev.nlpstreams.text.ner.AggregationStrategy.FIRST;
import static dev.nlpstreams.text.ner.AggregationStrategy.MAX;
import static dev.nlpstreams.text.ner.AggregationStrategy.NONE;
import static dev.nlpstreams.text.ner.AggregationStrategy.SIMPLE;
import static dev.nlpstreams.text.ner.EntityAssertions.assertEntities;
import static dev.nlpstreams.text.ner.EntityAssertions.group;
import static dev.nlpstreams.text.ner.EntityAssertions.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Hand-checked expectations from the Hugging Face TokenClassificationPipeline definition. Logits are
 * ln(p) (see {@link LogitRows}), so each token's softmax is exactly the probabilities written here;
 * labels not named share the rest equally.
 */
class EntityAggregatorTest {

  static final List<String> BIO = List.of("O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC");

  /*
   * "Wolfgang lives in Berlin", WordPiece-style: Wolf | ##gang | lives | in | Berlin.
   *   Wolf   (0,4)   O .04  B-PER .50  B-ORG .04  B-LOC .39  (I-* .01 each)
   *   ##gang (4,8)   O .04  B-PER .05  B-ORG .55  B-LOC .33  (I-* .01 each)
   *   lives  (9,14)  O .94                                   (others .01 each)
   *   in     (15,17) O .94
   *   Berlin (18,24) B-LOC .80                               (others .2/6 each)
   * [CLS] and [SEP] favour B-PER strongly, so any leak of a special token would show as a PER.
   * Word-aware: "##gang" has 6 code points but covers 4 ("gang"), so it is a sub-word of "Wolf".
   * Per word "Wolfgang":
   *   FIRST   -> first token's argmax: B-PER .50
   *   MAX     -> token with the highest max: ##gang (.55 > .50) -> B-ORG .55
   *   AVERAGE -> mean vector: O .04, B-PER .275, B-ORG .295, B-LOC .36 -> B-LOC .36
   */
  static final String WOLFGANG = "Wolfgang lives in Berlin";

  static TokenRows wolfgang() {
    return new TokenRows(BIO)
        .special("[CLS]", "B-PER")
        .token("Wolf", 0, 4, "O", .04, "B-PER", .50, "B-ORG", .04, "B-LOC", .39)
        .token("##gang", 4, 8, "O", .04, "B-PER", .05, "B-ORG", .55, "B-LOC", .33)
        .token("lives", 9, 14, "O", .94)
        .token("in", 15, 17, "O", .94)
        .token("Berlin", 18, 24, "B-LOC", .80)
        .special("[SEP]", "B-PER");
  }

  static List<Entity> run(AggregationStrategy strategy, TokenRows rows, String text) {
    return rows.runWith(new EntityAggregator(BIO, strategy, true), text);
  }

  @Nested
  class Strategies {

    @Test
    void noneReportsEachNonOTokenWithItsOwnLabelIndexAndTextSlice() {
      // Specials (index 0 and 6) skipped; lives/in are O and ignored. index counts the [CLS].
      // word is the text slice "gang", not the token string "##gang" (documented deviation).
      assertEntities(run(NONE, wolfgang(), WOLFGANG)).containsExactly(
          token("B-PER", "Wolf", .50, 0, 4, 1),
          token("B-ORG", "gang", .55, 4, 8, 2),
          token("B-LOC", "Berlin", .80, 18, 24, 5));
    }

    @Test
    void simpleGroupsByTagAndSoSplitsTheWordWhosePiecesDisagree() {
      // B-PER then B-ORG: different tags -> separate groups; sub-words are not considered by SIMPLE.
      assertEntities(run(SIMPLE, wolfgang(), WOLFGANG)).containsExactly(
          group("PER", "Wolf", .50, 0, 4),
          group("ORG", "gang", .55, 4, 8),
          group("LOC", "Berlin", .80, 18, 24));
    }

    @Test
    void firstGivesTheWordItsFirstTokensLabelAndScore() {
      assertEntities(run(FIRST, wolfgang(), WOLFGANG)).containsExactly(
          group("PER", "Wolfgang", .50, 0, 8),
          group("LOC", "Berlin", .80, 18, 24));
    }

    @Test
    void maxGivesTheWordTheLabelOfItsMostConfidentToken() {
      assertEntities(run(MAX, wolfgang(), WOLFGANG)).containsExactly(
          group("ORG", "Wolfgang", .55, 0, 8),
          group("LOC", "Berlin", .80, 18, 24));
    }

    @Test
    void averageGivesTheWordTheArgmaxOfTheMeanProbabilities() {
      // Wolfgang is B-LOC .36, then "lives" (O) breaks the group before Berlin (B-LOC anyway).
      assertEntities(run(AVERAGE, wolfgang(), WOLFGANG)).containsExactly(
          group("LOC", "Wolfgang", .36, 0, 8),
          group("LOC", "Berlin", .80, 18, 24));
    }

    @Test
    void wordGroupsScoreTheMeanOfTheirWordScores() {
      // "Wolfgang Mozart": Mozart (9,15) I-PER .90 continues a PER word.
      // FIRST: Wolfgang B-PER .50 + Mozart I-PER .90 -> one PER, score (.50 + .90) / 2 = .70.
      // MAX: Wolfgang B-ORG .55, Mozart I-PER -> tags differ -> ORG .55 and PER .90.
      String text = "Wolfgang Mozart";
      TokenRows rows = new TokenRows(BIO)
          .special("[CLS]", "O")
          .token("Wolf", 0, 4, "O", .04, "B-PER", .50, "B-ORG", .04, "B-LOC", .39)
          .token("##gang", 4, 8, "O", .04, "B-PER", .05, "B-ORG", .55, "B-LOC", .33)
          .token("Mozart", 9, 15, "I-PER", .90)
          .special("[SEP]", "O");
      assertEntities(run(FIRST, rows, text)).containsExactly(
          group("PER", "Wolfgang Mozart", .70, 0, 15));
      assertEntities(run(MAX, rows, text)).containsExactly(
          group("ORG", "Wolfgang", .55, 0, 8),
          group("PER", "Mozart", .90, 9, 15));
    }

    @Test
    void tiesGoToTheFirstTokenAndTheLowestLabelIndex() {
      // Labels [PER, ORG, O]; Wolf logits (1, 0, 0), ##gang (0, 1, 0). With a = 1/e both rows sum
      // to 1 + 2a in the same order, so the maxima are exactly equal: e / (e + 2) = 0.576117.
      // MAX: Python's max() keeps the first -> Wolf -> PER, 0.576117.
      // AVERAGE: PER and ORG both average (e + 1) / (2 (e + 2)) = 0.394032 -> argmax keeps PER.
      List<String> labels = List.of("PER", "ORG", "O");
      TokenRows rows = new TokenRows(labels)
          .add(TokenSpan.of("Wolf", 0, 4), new float[] {1f, 0f, 0f})
          .add(TokenSpan.of("##gang", 4, 8), new float[] {0f, 1f, 0f});
      double e = Math.E;
      assertEntities(rows.runWith(new EntityAggregator(labels, MAX, true), "Wolfgang"))
          .containsExactly(group("PER", "Wolfgang", e / (e + 2), 0, 8));
      assertEntities(rows.runWith(new EntityAggregator(labels, AVERAGE, true), "Wolfgang"))
          .containsExactly(group("PER", "Wolfgang", (e + 1) / (2 * (e + 2)), 0, 8));
    }
  }

  @Nested
  class Grouping {

    @Test
    void aBLabelAlwaysStartsANewEntity() {
      // "Ann Lee Bob": B-PER .9, I-PER .7, B-PER .8 -> "Ann Lee" (.9 + .7) / 2 = .8, then "Bob" .8.
      String text = "Ann Lee Bob";
      TokenRows rows = new TokenRows(BIO)
          .token("Ann", 0, 3, "B-PER", .9)
          .token("Lee", 4, 7, "I-PER", .7)
          .token("Bob", 8, 11, "B-PER", .8);
      List<Entity> expected = List.of(
          group("PER", "Ann Lee", .8, 0, 7),
          group("PER", "Bob", .8, 8, 11));
      assertEntities(run(SIMPLE, rows, text)).containsExactlyElementsOf(expected);
      // One token per word, so FIRST groups the same way.
      assertEntities(run(FIRST, rows, text)).containsExactlyElementsOf(expected);
    }

    @Test
    void anOTokenBetweenTwoIOrgTokensGivesTwoOrgEntities() {
      // Python groups first ("I-ORG" | "O" | "I-ORG" are three groups: the tag changes twice) and
      // drops the O group afterwards. transformers.js drops O first and would return one ORG.
      String text = "Acme and Beta";
      TokenRows rows = new TokenRows(BIO)
          .token("Acme", 0, 4, "I-ORG", .9)
          .token("and", 5, 8, "O", .9)
          .token("Beta", 9, 13, "I-ORG", .6);
      assertEntities(run(SIMPLE, rows, text)).containsExactly(
          group("ORG", "Acme", .9, 0, 4),
          group("ORG", "Beta", .6, 9, 13));
    }

    @Test
    void adjacentITokensOfOneTagFormOneEntity() {
      // I-ORG then I-ORG: same tag, not B- -> one group, score (.9 + .6) / 2 = .75.
      String text = "Acme Beta";
      TokenRows rows = new TokenRows(BIO)
          .token("Acme", 0, 4, "I-ORG", .9)
          .token("Beta", 5, 9, "I-ORG", .6);
      assertEntities(run(SIMPLE, rows, text)).containsExactly(group("ORG", "Acme Beta", .75, 0, 9));
    }

    @Test
    void labelsWithoutPrefixesGroupWhileTheLabelStaysTheSame() {
      // get_tag treats a bare label as I- of itself: PER PER -> one PER (.9 + .7) / 2 = .8.
      List<String> labels = List.of("O", "PER", "LOC");
      String text = "Ann Lee in Rome";
      TokenRows rows = new TokenRows(labels)
          .token("Ann", 0, 3, "PER", .9)
          .token("Lee", 4, 7, "PER", .7)
          .token("in", 8, 10, "O", .8)
          .token("Rome", 11, 15, "LOC", .6);
      assertEntities(rows.runWith(new EntityAggregator(labels, SIMPLE, true), text)).containsExactly(
          group("PER", "Ann Lee", .8, 0, 7),
          group("LOC", "Rome", .6, 11, 15));
      assertEntities(rows.runWith(new EntityAggregator(labels, NONE, true), text)).containsExactly(
          token("PER", "Ann", .9, 0, 3, 0),
          token("PER", "Lee", .7, 4, 7, 1),
          token("LOC", "Rome", .6, 11, 15, 3));
    }

    @Test
    void bareLabelContinuesABGroupButOtherPrefixesAreTagsOfTheirOwn() {
      // B-PER then PER: get_tag("PER") = (I, "PER") -> continues -> "Ann Lee" (.9 + .7) / 2 = .8.
      // U-PER: get_tag gives tag "U-PER" != "PER" -> new group, which is named after the first '-':
      // "U-PER".split("-", 1)[-1] = "PER". So two PER entities.
      List<String> labels = List.of("O", "B-PER", "PER", "U-PER");
      String text = "Ann Lee Bob";
      TokenRows rows = new TokenRows(labels)
          .token("Ann", 0, 3, "B-PER", .9)
          .token("Lee", 4, 7, "PER", .7)
          .token("Bob", 8, 11, "U-PER", .6);
      assertEntities(rows.runWith(new EntityAggregator(labels, SIMPLE, true), text)).containsExactly(
          group("PER", "Ann Lee", .8, 0, 7),
          group("PER", "Bob", .6, 8, 11));
    }
  }

  @Nested
  class IgnoreLabels {

    @Test
    void aggregatedStrategiesFilterByEntityGroup() {
      EntityAggregator dropOrg = new EntityAggregator(BIO, SIMPLE, Set.of("O", "ORG"), true);
      assertEntities(wolfgang().runWith(dropOrg, WOLFGANG)).containsExactly(
          group("PER", "Wolf", .50, 0, 4),
          group("LOC", "Berlin", .80, 18, 24));
      // "B-ORG" never equals a group name ("ORG"), so it filters nothing here.
      EntityAggregator dropBOrg = new EntityAggregator(BIO, SIMPLE, Set.of("O", "B-ORG"), true);
      assertThat(wolfgang().runWith(dropBOrg, WOLFGANG)).extracting(Entity::label)
          .containsExactly("PER", "ORG", "LOC");
    }

    @Test
    void noneFiltersByTheFullTokenLabel() {
      EntityAggregator dropBOrg = new EntityAggregator(BIO, NONE, Set.of("O", "B-ORG"), true);
      assertThat(wolfgang().runWith(dropBOrg, WOLFGANG)).extracting(Entity::label)
          .containsExactly("B-PER", "B-LOC");
    }

    @Test
    void withoutIgnoredLabelsTheOGroupsAreReported() {
      // lives, in: both O -> one group "lives in" [9, 17), score (.94 + .94) / 2.
      EntityAggregator keepAll = new EntityAggregator(BIO, SIMPLE, Set.of(), true);
      assertEntities(wolfgang().runWith(keepAll, WOLFGANG)).containsExactly(
          group("PER", "Wolf", .50, 0, 4),
          group("ORG", "gang", .55, 4, 8),
          group("O", "lives in", .94, 9, 17),
          group("LOC", "Berlin", .80, 18, 24));
    }

    @Test
    void defaultIgnoresOnlyO() {
      assertThat(new EntityAggregator(BIO, SIMPLE, true).ignoreLabels()).containsExactly("O");
    }
  }

  @Nested
  class Offsets {

    /*
     * "😀 東京 in Zoë's 𠮷野家"
     *   UTF-16:      😀 0-1 | sp 2 | 東 3 | 京 4 | sp 5 | in 6-7 | sp 8 | Zoë 9-11 | ' 12 | s 13 |
     *                sp 14 | 𠮷 15-16 | 野 17 | 家 18   (length 19)
     *   code points: 😀 0 | sp 1 | 東 2 | 京 3 | sp 4 | in 5-6 | sp 7 | Zoë 8-10 | ' 11 | s 12 |
     *                sp 13 | 𠮷 14 | 野 15 | 家 16     (length 17)
     * The emoji is BERT's [UNK]; CJK characters are single tokens.
     *   東 B-LOC .9, 京 I-LOC .8        -> LOC (.9 + .8) / 2 = .85
     *   Zoë B-PER .7                     -> PER .7
     *   𠮷 B-ORG .6, 野 I-ORG .6, 家 I-ORG .9 -> ORG (.6 + .6 + .9) / 3 = .7
     */
    static final String TEXT = "😀 東京 in Zoë's 𠮷野家";

    static TokenRows rows() {
      return new TokenRows(BIO)
          .special("[CLS]", "B-PER")
          .add(TokenSpan.unknown("[UNK]", 0, 2), LogitRows.probs(BIO, "O", .9))
          .token("東", 3, 4, "B-LOC", .9)
          .token("京", 4, 5, "I-LOC", .8)
          .token("in", 6, 8, "O", .9)
          .token("Zoë", 9, 12, "B-PER", .7)
          .token("'", 12, 13, "O", .9)
          .token("s", 13, 14, "O", .9)
          .token("𠮷", 15, 17, "B-ORG", .6)
          .token("野", 17, 18, "I-ORG", .6)
          .token("家", 18, 19, "I-ORG", .9)
          .special("[SEP]", "B-PER");
    }

    @Test
    void groupsCarryUtf16AndCodePointOffsetsAndTheTextSlice() {
      List<Entity> expected = List.of(
          new Entity("LOC", "東京", .85f, 3, 5, 2, 4, -1),
          new Entity("PER", "Zoë", .7f, 9, 12, 8, 11, -1),
          new Entity("ORG", "𠮷野家", .7f, 15, 19, 14, 17, -1));
      assertEntities(run(SIMPLE, rows(), TEXT)).containsExactlyElementsOf(expected);
      // Every token is its own word (code-point lengths of piece and slice agree), so FIRST agrees.
      assertEntities(run(FIRST, rows(), TEXT)).containsExactlyElementsOf(expected);
    }

    @Test
    void tokensCarryUtf16AndCodePointOffsets() {
      assertEntities(run(NONE, rows(), TEXT)).containsExactly(
          new Entity("B-LOC", "東", .9f, 3, 4, 2, 3, 2),
          new Entity("I-LOC", "京", .8f, 4, 5, 3, 4, 3),
          new Entity("B-PER", "Zoë", .7f, 9, 12, 8, 11, 5),
          new Entity("B-ORG", "𠮷", .6f, 15, 17, 14, 15, 8),
          new Entity("I-ORG", "野", .6f, 17, 18, 15, 16, 9),
          new Entity("I-ORG", "家", .9f, 18, 19, 16, 17, 10));
    }

    @Test
    void entityWordIsAlwaysTheOriginalSlice() {
      for (AggregationStrategy strategy : AggregationStrategy.values()) {
        for (Entity entity : run(strategy, rows(), TEXT)) {
          assertThat(entity.word()).isEqualTo(TEXT.substring(entity.start(), entity.end()));
          assertThat(entity.word().codePointCount(0, entity.word().length()))
              .isEqualTo(entity.endCodePoint() - entity.startCodePoint());
        }
      }
    }
  }

  @Nested
  class SubwordDetection {

    /*
     * "Wolfgang lives\nin Berlin", byte-level BPE pieces; "ĠBerlin" keeps its leading space in its
     * offsets (17, 24), as tokenizers without trim_offsets report it.
     *   UTF-16: Wolfgang 0-7 | sp 8 | lives 9-13 | \n 14 | in 15-16 | sp 17 | Berlin 18-23
     *   Wolf    (0,4)   B-PER .6
     *   gang    (4,8)   B-ORG .9
     *   Ġlives  (9,14)  O .9
     *   Ċ       (14,15) O .9
     *   in      (15,17) B-LOC .9
     *   ĠBerlin (17,24) B-LOC .8
     */
    static final String TEXT = "Wolfgang lives\nin Berlin";

    static TokenRows rows() {
      return new TokenRows(BIO)
          .special("<s>", "B-PER")
          .token("Wolf", 0, 4, "B-PER", .6)
          .token("gang", 4, 8, "B-ORG", .9)
          .token("Ġlives", 9, 14, "O", .9)
          .token("Ċ", 14, 15, "O", .9)
          .token("in", 15, 17, "B-LOC", .9)
          .token("ĠBerlin", 17, 24, "B-LOC", .8)
          .special("</s>", "B-PER");
    }

    @Test
    void fallbackHeuristicJoinsTokensWithNoSpaceBeforeOrAtTheirStart() {
      // is_subword = start > 0 and " " not in text[start-1 : start+1]:
      //   gang    "fg"   -> sub-word: word "Wolfgang", FIRST -> B-PER .6
      //   Ġlives  " l"   -> new word
      //   Ċ       "s\n"  -> sub-word; in "\ni" -> sub-word too: only U+0020 counts, so
      //                     "lives\nin" is one word whose first token is O -> no LOC "in"
      //   ĠBerlin "n "   -> new word: the space at the token's own start counts (the older rule,
      //                     which looked only at the character before, would have glued it to "in")
      EntityAggregator fallback = new EntityAggregator(BIO, FIRST, false);
      assertEntities(rows().runWith(fallback, TEXT)).containsExactly(
          group("PER", "Wolfgang", .6, 0, 8),
          group("LOC", " Berlin", .8, 17, 24));
    }

    @Test
    void wordAwareRuleComparesTokenAndTextLengthsInstead() {
      // Same tokens with the word-aware rule (len(piece) != len(text slice)):
      //   gang 4 = 4 -> new word, B-ORG;  Ġlives 6 != 5 -> sub-word of "gang" -> "gang lives" ORG .9
      //   Ċ 1 = 1 -> new word (O);  in 2 = 2 -> new word B-LOC .9;  ĠBerlin 7 = 7 -> new word B-LOC
      //   (B- starts a new group) -> two LOC entities.
      EntityAggregator wordAware = new EntityAggregator(BIO, FIRST, true);
      assertEntities(rows().runWith(wordAware, TEXT)).containsExactly(
          group("PER", "Wolf", .6, 0, 4),
          group("ORG", "gang lives", .9, 4, 14),
          group("LOC", "in", .9, 15, 17),
          group("LOC", " Berlin", .8, 17, 24));
    }

    @Test
    void wordAwareLengthsAreCountedInCodePointsLikePython() {
      // "Bob 𝐀nn": an NFKC-normalizing WordPiece reports piece "Ann" for the text "𝐀nn" (U+1D400 is a
      // surrogate pair). len("Ann") = 3 = len("𝐀nn") in code points -> a new word, so two PER.
      // Counting UTF-16 units (3 vs 4) would call it a sub-word and fuse "Bob 𝐀nn".
      String text = "Bob 𝐀nn";
      TokenRows rows = new TokenRows(BIO)
          .token("Bob", 0, 3, "B-PER", .9)
          .token("Ann", 4, 8, "B-PER", .8);
      assertEntities(rows.runWith(new EntityAggregator(BIO, FIRST, true), text)).containsExactly(
          new Entity("PER", "Bob", .9f, 0, 3, 0, 3, -1),
          new Entity("PER", "𝐀nn", .8f, 4, 8, 4, 7, -1));
    }

    @Test
    void unknownTokenIsNeverASubword() {
      // "Bob😀": [UNK] (3,5) is 5 code points against 1 covered, which the length rule would call a
      // sub-word and fuse into "Bob😀". The pipeline resets is_subword for the unknown token.
      String text = "Bob😀";
      TokenRows rows = new TokenRows(BIO)
          .token("Bob", 0, 3, "B-PER", .9)
          .add(TokenSpan.unknown("[UNK]", 3, 5), LogitRows.probs(BIO, "O", .9));
      assertEntities(rows.runWith(new EntityAggregator(BIO, FIRST, true), text))
          .containsExactly(group("PER", "Bob", .9, 0, 3));
      // Control: the same token not flagged unknown is fused, so the flag is what matters.
      TokenRows unflagged = new TokenRows(BIO)
          .token("Bob", 0, 3, "B-PER", .9)
          .token("[UNK]", 3, 5, "O", .9);
      assertEntities(unflagged.runWith(new EntityAggregator(BIO, FIRST, true), text))
          .containsExactly(new Entity("PER", "Bob😀", .9f, 0, 5, 0, 4, -1));
    }

    @Test
    void firstTokenOfAWindowStartsAWordEvenWhenItIsASubword() {
      // A window may start inside a word; aggregate_words opens a word with its first token anyway.
      TokenRows rows = new TokenRows(BIO)
          .special("[CLS]", "O")
          .token("##gang", 4, 8, "B-ORG", .55)
          .token("lives", 9, 14, "O", .94)
          .special("[SEP]", "O");
      assertEntities(rows.runWith(new EntityAggregator(BIO, FIRST, true), WOLFGANG))
          .containsExactly(group("ORG", "gang", .55, 4, 8));
    }
  }

  @Nested
  class Softmax {

    @Test
    void scoresAreSoftmaxProbabilitiesComputedStably() {
      // Labels [O, B-PER].
      //   Ann logits (0, ln 3)       -> p(B-PER) = 3 / (1 + 3) = .75
      //   Lee logits (0, 1000)       -> exp(1000) overflows unless shifted; p(B-PER) = 1
      //   Bob logits (-1000, -1000)  -> exp underflows to 0/0 unless shifted; .5/.5, the tie goes
      //                                 to index 0 (O), so Bob is not reported
      List<String> labels = List.of("O", "B-PER");
      TokenRows rows = new TokenRows(labels)
          .add(TokenSpan.of("Ann", 0, 3), new float[] {0f, (float) Math.log(3)})
          .add(TokenSpan.of("Lee", 4, 7), new float[] {0f, 1000f})
          .add(TokenSpan.of("Bob", 8, 11), new float[] {-1000f, -1000f});
      List<Entity> entities = rows.runWith(new EntityAggregator(labels, NONE, true), "Ann Lee Bob");
      assertEntities(entities).containsExactly(
          token("B-PER", "Ann", .75, 0, 3, 0),
          token("B-PER", "Lee", 1.0, 4, 7, 1));
      assertThat(entities.get(1).score()).isEqualTo(1.0f);
    }
  }

  @Nested
  class Validation {

    @Test
    void rejectsLogitsThatDoNotMatchTheWindow() {
      EntityAggregator aggregator = new EntityAggregator(BIO, SIMPLE, true);
      List<TokenSpan> tokens = wolfgang().tokens();
      assertThatThrownBy(() -> aggregator.aggregate(WOLFGANG, tokens, new float[3][BIO.size()]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("3 rows")
          .hasMessageContaining("7 tokens");
      assertThatThrownBy(() -> aggregator.aggregate(WOLFGANG, tokens, new float[7][3]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("7 labels");
    }

    @Test
    void rejectsNonFiniteLogits() {
      float[][] logits = wolfgang().logits();
      logits[2][1] = Float.NaN;
      assertThatThrownBy(() -> new EntityAggregator(BIO, SIMPLE, true)
          .aggregate(WOLFGANG, wolfgang().tokens(), logits))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("row 2")
          .hasMessageContaining("NaN");
    }

    @Test
    void rejectsOffsetsOutsideTheTextOrInsideASurrogatePair() {
      EntityAggregator aggregator = new EntityAggregator(BIO, NONE, true);
      TokenRows beyond = new TokenRows(BIO).token("x", 0, 9, "B-PER", .9);
      assertThatThrownBy(() -> beyond.runWith(aggregator, "short"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("beyond the text");
      TokenRows halfEmoji = new TokenRows(BIO).token("x", 0, 1, "B-PER", .9);
      assertThatThrownBy(() -> halfEmoji.runWith(aggregator, "😀x"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("surrogate pair");
    }

    @Test
    void rejectsAnEmptyLabelList() {
      assertThatThrownBy(() -> new EntityAggregator(List.of(), SIMPLE, true))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("id2label");
    }

    @Test
    void aWindowOfOnlySpecialTokensHasNoEntities() {
      TokenRows rows = new TokenRows(BIO).special("[CLS]", "B-PER").special("[SEP]", "B-PER");
      for (AggregationStrategy strategy : AggregationStrategy.values()) {
        assertThat(run(strategy, rows, "")).isEmpty();
      }
    }
  }
}
