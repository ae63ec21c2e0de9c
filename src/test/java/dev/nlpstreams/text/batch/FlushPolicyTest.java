package dev.nlpstreams.text.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FlushPolicyTest {

  private final FlushPolicy policy = new FlushPolicy(4, 100, 50);

  @Test
  void fullAtMaxRecordsButNotBefore() {
    assertThat(policy.isFull(3, 10)).isFalse();
    assertThat(policy.isFull(4, 10)).isTrue();
  }

  @Test
  void fullAtTokenBudgetEvenWithFewRecords() {
    assertThat(policy.isFull(1, 99)).isFalse();
    assertThat(policy.isFull(1, 100)).isTrue();
  }

  @Test
  void dueWhenOldestRecordWaitedMaxWait() {
    assertThat(policy.isDue(1_000, 1_049)).isFalse();
    assertThat(policy.isDue(1_000, 1_050)).isTrue();
  }

  @Test
  void zeroMaxWaitIsAlwaysDue() {
    assertThat(new FlushPolicy(10, 10, 0).isDue(5, 5)).isTrue();
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new FlushPolicy(0, 1, 1)).hasMessageContaining("maxRecords");
    assertThatThrownBy(() -> new FlushPolicy(1, 0, 1)).hasMessageContaining("maxTokens");
    assertThatThrownBy(() -> new FlushPolicy(1, 1, -1)).hasMessageContaining("maxWaitMs");
  }
}
