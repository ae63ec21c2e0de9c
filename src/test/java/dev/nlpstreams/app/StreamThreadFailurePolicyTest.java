package dev.nlpstreams.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadFailurePolicyTest {

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final List<Long> sleeps = new ArrayList<>();
  private final StreamThreadFailurePolicy policy = new StreamThreadFailurePolicy(3,
      Duration.ofMinutes(10), now::get, sleeps::add);

  @Test
  void transientFailuresAlwaysReplaceTheThreadWithGrowingBackoff() {
    for (int i = 0; i < 10; i++) {
      StreamsException wrapped = new StreamsException("task failed",
          new TimeoutException("broker away"));
      assertThat(policy.handle(wrapped)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }
    assertThat(sleeps).startsWith(1_000L, 2_000L, 4_000L, 8_000L).endsWith(15_000L);
  }

  @Test
  void repeatedFailuresWithinTheWindowShutTheClientDown() {
    RuntimeException bug = new IllegalStateException("fails on every replay");
    assertThat(policy.handle(bug)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(policy.handle(bug)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    assertThat(policy.handle(bug)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void failuresOutsideTheWindowAreForgotten() {
    RuntimeException bug = new IllegalStateException("now and then");
    for (int i = 0; i < 6; i++) {
      assertThat(policy.handle(bug)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
      now.addAndGet(Duration.ofMinutes(6).toMillis());
    }
  }

  @Test
  void transientIsAnyRetriableCauseInTheChain() {
    assertThat(StreamThreadFailurePolicy.isTransient(new StreamsException(
        new RuntimeException(new RetriableException("registry down") {})))).isTrue();
    assertThat(StreamThreadFailurePolicy.isTransient(new StreamsException(
        new IllegalArgumentException("bad")))).isFalse();
  }
}
