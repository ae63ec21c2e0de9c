package dev.nlpstreams.text.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.nlpstreams.text.eval.EntityScore.Span;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntityScoreTest {

  @Test
  void exactTypeAndSpanCountOnly() {
    EntityScore score = new EntityScore()
        .add(List.of(new Span("PER", 0, 13), new Span("LOC", 30, 36)),
            List.of(new Span("PER", 0, 13), new Span("ORG", 30, 36), new Span("LOC", 18, 26)))
        .add(List.of(new Span("ORG", 5, 9)), List.of());
    EntityScore.Prf all = score.overall();
    assertThat(all.correct()).isEqualTo(1);
    assertThat(all.predicted()).isEqualTo(3);
    assertThat(all.gold()).isEqualTo(3);
    assertThat(all.precision()).isCloseTo(1.0 / 3, offset(1e-12));
    assertThat(all.recall()).isCloseTo(1.0 / 3, offset(1e-12));
    assertThat(all.f1()).isCloseTo(1.0 / 3, offset(1e-12));
    assertThat(score.perType().get("PER").f1()).isEqualTo(1.0);
    assertThat(score.perType().get("LOC")).isEqualTo(new EntityScore.Prf(0, 1, 1));
    assertThat(score.perType().get("ORG")).isEqualTo(new EntityScore.Prf(0, 1, 1));
  }

  @Test
  void precisionAndRecallDifferAndF1IsTheirHarmonicMean() {
    EntityScore score = new EntityScore().add(
        List.of(new Span("PER", 0, 3), new Span("PER", 4, 7), new Span("LOC", 8, 9),
            new Span("LOC", 10, 12)),
        List.of(new Span("PER", 0, 3), new Span("LOC", 8, 9)));
    assertThat(score.overall().precision()).isEqualTo(1.0);
    assertThat(score.overall().recall()).isEqualTo(0.5);
    assertThat(score.overall().f1()).isCloseTo(2.0 / 3, offset(1e-12));
  }

  @Test
  void nothingPredictedOrNothingGoldIsZeroNotNaN() {
    EntityScore.Prf none = new EntityScore().add(List.of(), List.of()).overall();
    assertThat(none.f1()).isZero();
    assertThat(new EntityScore().add(List.of(new Span("PER", 0, 1)), List.of()).overall().f1())
        .isZero();
  }
}
