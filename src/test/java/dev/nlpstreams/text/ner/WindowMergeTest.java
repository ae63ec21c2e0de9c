package dev.nlpstreams.text.ner;

import static dev.nlpstreams.text.ner.AggregationStrategy.FIRST;
import static dev.nlpstreams.text.ner.AggregationStrategy.NONE;
import static dev.nlpstreams.text.ner.AggregationStrategy.SIMPLE;
import static dev.nlpstreams.text.ner.EntityAggregatorTest.BIO;
import static dev.nlpstreams.text.ner.EntityAggregatorTest.WOLFGANG;
import static dev.nlpstreams.text.ner.EntityAssertions.assertEntities;
import static dev.nlpstreams.text.ner.EntityAssertions.group;
import static dev.nlpstreams.text.ner.EntityAssertions.token;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.text.ner.SlidingWindows.Window;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Aggregated strategies follow aggregate_overlapping_entities: sort by start, an entity starting
 * inside the kept one replaces it when longer, or equally long with a higher score. NONE follows our
 * documented rule: one report per token span (and rank), the higher score kept.
 */
class WindowMergeTest {

  static final EntityAggregator SIMPLE_AGGREGATOR = new EntityAggregator(BIO, SIMPLE, true);
  static final EntityAggregator NONE_AGGREGATOR = new EntityAggregator(BIO, NONE, true);

  @Nested
  class Aggregated {

    @Test
    void entitySeenWholeByTwoWindowsAppearsOnceWithTheHigherScore() {
      // Same span [18,24): same start, same length -> the higher score (.9, second window) wins.
      List<Entity> merged = SIMPLE_AGGREGATOR.mergeWindows(List.of(
          List.of(group("PER", "Wolf", .5, 0, 4), group("LOC", "Berlin", .7, 18, 24)),
          List.of(group("LOC", "Berlin", .9, 18, 24))));
      assertEntities(merged).containsExactly(
          group("PER", "Wolf", .5, 0, 4),
          group("LOC", "Berlin", .9, 18, 24));
    }

    @Test
    void equalScoresKeepTheEarlierWindowsCopy() {
      Entity first = group("LOC", "Berlin", .9, 18, 24);
      Entity second = group("ORG", "Berlin", .9, 18, 24);
      assertThat(SIMPLE_AGGREGATOR.mergeWindows(List.of(List.of(first), List.of(second))))
          .containsExactly(first);
    }

    @Test
    void partialWordAtAWindowEdgeLosesToTheLongerEntity() {
      // Window 2 starts at "##gang": "gang" [4,8) starts inside "Wolfgang" [0,8) and is shorter, so
      // it is dropped although its score is higher.
      List<Entity> merged = SIMPLE_AGGREGATOR.mergeWindows(List.of(
          List.of(group("PER", "Wolfgang", .5, 0, 8)),
          List.of(group("ORG", "gang", .9, 4, 8))));
      assertEntities(merged).containsExactly(group("PER", "Wolfgang", .5, 0, 8));
      // Cut the other way: window 1 ends after "Wolf" [0,4); window 2 sees "Wolfgang" [0,8). Sorted by
      // start (stable) "Wolf" comes first, "Wolfgang" starts inside it and is longer -> replaces it.
      List<Entity> reversed = SIMPLE_AGGREGATOR.mergeWindows(List.of(
          List.of(group("PER", "Wolf", .9, 0, 4)),
          List.of(group("PER", "Wolfgang", .5, 0, 8))));
      assertEntities(reversed).containsExactly(group("PER", "Wolfgang", .5, 0, 8));
    }

    @Test
    void lengthsAreComparedInCharactersAsPythonCountsThem() {
      // "😀😀😀a" is 4 characters (7 UTF-16 units); "a bcde" starting inside it is 6 characters:
      // the pipeline keeps the longer in characters, whatever the UTF-16 lengths say.
      Entity emoji = new Entity("ORG", "😀😀😀a", .9f, 0, 7, 0, 4, -1);
      Entity longer = new Entity("ORG", "a bcde", .5f, 6, 12, 3, 9, -1);
      assertThat(SIMPLE_AGGREGATOR.mergeWindows(List.of(List.of(emoji), List.of(longer))))
          .containsExactly(longer);
    }

    @Test
    void equallyLongOverlappingEntitiesKeepTheHigherScore() {
      // [10,15) .6 and [12,17) .7: 12 lies in [10,15), lengths 5 = 5, .7 > .6 -> [12,17).
      List<Entity> merged = SIMPLE_AGGREGATOR.mergeWindows(List.of(
          List.of(group("ORG", "abcde", .6, 10, 15)),
          List.of(group("ORG", "cdefg", .7, 12, 17))));
      assertEntities(merged).containsExactly(group("ORG", "cdefg", .7, 12, 17));
    }

    @Test
    void touchingEntitiesDoNotOverlap() {
      // 4 is not < 4: the end is exclusive, both stay.
      List<Entity> merged = SIMPLE_AGGREGATOR.mergeWindows(List.of(
          List.of(group("PER", "Wolf", .5, 0, 4)),
          List.of(group("ORG", "gang", .9, 4, 8))));
      assertThat(merged).extracting(Entity::word).containsExactly("Wolf", "gang");
    }

    @Test
    void eachEntityIsComparedWithTheOneCurrentlyKept() {
      // [0,5) kept; [3,10) starts inside and is longer -> kept becomes [3,10); [8,12) starts inside
      // [3,10) and is shorter -> dropped, although it never overlapped [0,5). Result: [3,10) only.
      List<Entity> merged = SIMPLE_AGGREGATOR.mergeWindows(List.of(
          List.of(group("PER", "a", .9, 0, 5), group("PER", "b", .5, 3, 10)),
          List.of(group("PER", "c", .9, 8, 12))));
      assertThat(merged).extracting(Entity::word).containsExactly("b");
    }

    @Test
    void resultIsInStartOrderAcrossWindows() {
      List<Entity> merged = SIMPLE_AGGREGATOR.mergeWindows(List.of(
          List.of(group("LOC", "x", .5, 30, 31)),
          List.of(group("PER", "y", .5, 2, 3), group("ORG", "z", .5, 40, 41))));
      assertThat(merged).extracting(Entity::start).containsExactly(2, 30, 40);
    }

    @Test
    void aSingleWindowIsReturnedUnmerged() {
      // The pipeline only merges with more than one chunk, so overlaps inside one window survive.
      List<Entity> single = List.of(group("PER", "a", .9, 0, 5), group("PER", "b", .5, 3, 10));
      assertThat(SIMPLE_AGGREGATOR.mergeWindows(List.of(single))).containsExactlyElementsOf(single);
      assertThat(SIMPLE_AGGREGATOR.mergeWindows(List.of())).isEmpty();
    }
  }

  @Nested
  class Tokens {

    @Test
    void tokenSeenByTwoWindowsIsReportedOnceWithItsHigherScore() {
      List<Entity> merged = NONE_AGGREGATOR.mergeWindows(List.of(
          List.of(token("B-PER", "Wolf", .5, 0, 4, 1), token("B-ORG", "gang", .55, 4, 8, 2)),
          List.of(token("B-ORG", "gang", .7, 4, 8, 1), token("B-LOC", "Berlin", .8, 18, 24, 3))));
      assertEntities(merged).containsExactly(
          token("B-PER", "Wolf", .5, 0, 4, 1),
          token("B-ORG", "gang", .7, 4, 8, 1),
          token("B-LOC", "Berlin", .8, 18, 24, 3));
    }

    @Test
    void tokensSharingOneSpanInAWindowAreAllKept() {
      // Byte-level BPE can split one emoji into pieces that share the offsets [0,2). Window 1 holds
      // both pieces (ranks 0 and 1 of that span); window 2 starts at the second piece and holds one
      // (rank 0). Keys (span, rank): {0, 1} and {0} -> 2 tokens, not 1 (a span-only key would collapse
      // them) and not 3. Rank 0 keeps window 1's copy: .6 > .5.
      Entity first = new Entity("B-MISC", "😀", .6f, 0, 2, 0, 1, 1);
      Entity second = new Entity("I-MISC", "😀", .6f, 0, 2, 0, 1, 2);
      Entity secondSeenAgain = new Entity("I-MISC", "😀", .5f, 0, 2, 0, 1, 1);
      List<Entity> merged = NONE_AGGREGATOR.mergeWindows(List.of(
          List.of(first, second),
          List.of(secondSeenAgain)));
      assertThat(merged).hasSize(2).containsExactly(first, second);
    }
  }

  @Nested
  class EndToEnd {

    /** Runs the aggregator over every window of the Wolfgang text, with [CLS]/[SEP] around each. */
    List<List<Entity>> runWindows(EntityAggregator aggregator, List<Window> windows,
        TokenRows content, float[] gangLogitsInLaterWindows) {
      List<TokenSpan> tokens = content.tokens();
      float[][] logits = content.logits();
      List<List<Entity>> perWindow = new ArrayList<>();
      for (int w = 0; w < windows.size(); w++) {
        Window window = windows.get(w);
        TokenRows rows = new TokenRows(BIO).special("[CLS]", "B-PER");
        for (int i = window.start(); i < window.end(); i++) {
          boolean laterGang = w > 0 && i == 1 && gangLogitsInLaterWindows != null;
          rows.add(tokens.get(i), laterGang ? gangLogitsInLaterWindows : logits[i]);
        }
        rows.special("[SEP]", "B-PER");
        perWindow.add(rows.runWith(aggregator, WOLFGANG));
      }
      return perWindow;
    }

    /** The five content tokens of the Wolfgang example (no specials). */
    TokenRows content() {
      return new TokenRows(BIO)
          .token("Wolf", 0, 4, "O", .04, "B-PER", .50, "B-ORG", .04, "B-LOC", .39)
          .token("##gang", 4, 8, "O", .04, "B-PER", .05, "B-ORG", .55, "B-LOC", .33)
          .token("lives", 9, 14, "O", .94)
          .token("in", 15, 17, "O", .94)
          .token("Berlin", 18, 24, "B-LOC", .80);
    }

    @Test
    void firstOverSlidingWindowsEqualsTheSingleWindowResult() {
      // 5 content tokens, 3 per window, stride 2 -> [0,3) [1,4) [2,5).
      // Window 1 (Wolf ##gang lives): PER "Wolfgang" .50. Window 2 starts at ##gang, which opens a
      // word: ORG "gang" .55 [4,8). Window 3: LOC "Berlin" .80.
      // Merge: "gang" starts inside "Wolfgang" and is shorter -> dropped.
      List<Window> windows = SlidingWindows.plan(5, 3, 2);
      assertThat(windows).containsExactly(new Window(0, 3), new Window(1, 4), new Window(2, 5));
      EntityAggregator first = new EntityAggregator(BIO, FIRST, true);
      List<List<Entity>> perWindow = runWindows(first, windows, content(), null);
      assertEntities(perWindow.get(1)).containsExactly(group("ORG", "gang", .55, 4, 8));
      assertEntities(first.mergeWindows(perWindow)).containsExactly(
          group("PER", "Wolfgang", .50, 0, 8),
          group("LOC", "Berlin", .80, 18, 24));
    }

    @Test
    void noneOverSlidingWindowsReportsEachTokenOnce() {
      // ##gang is in windows 1 and 2; window 2 sees it with B-ORG .70 -> that copy (index 1 in
      // window 2: [CLS] is index 0) is kept. Berlin is only in window 3, at index 3.
      List<Window> windows = SlidingWindows.plan(5, 3, 2);
      float[] gangWithMoreContext = LogitRows.probs(BIO, "B-ORG", .70);
      List<Entity> merged = NONE_AGGREGATOR.mergeWindows(
          runWindows(NONE_AGGREGATOR, windows, content(), gangWithMoreContext));
      assertEntities(merged).containsExactly(
          token("B-PER", "Wolf", .50, 0, 4, 1),
          token("B-ORG", "gang", .70, 4, 8, 1),
          token("B-LOC", "Berlin", .80, 18, 24, 3));
    }
  }
}
