package dev.nlpstreams.text.ner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nlpstreams.text.ner.SlidingWindows.Window;
import org.junit.jupiter.api.Test;

/**
 * Expectations follow the tokenizers library's overflow rule: windows start at 0, step*1, step*2, ...
 * with step = maxContentTokens - stride, each ends at min(start + maxContentTokens, n), and the
 * sequence stops at the first window that reaches n.
 */
class SlidingWindowsTest {

  @Test
  void textThatFitsExactlyIsOneWindow() {
    assertThat(SlidingWindows.plan(10, 10, 3)).containsExactly(new Window(0, 10));
  }

  @Test
  void shortTextIsOneWindow() {
    assertThat(SlidingWindows.plan(4, 10, 3)).containsExactly(new Window(0, 4));
  }

  @Test
  void oneTokenOverNeedsASecondWindowOverlappingByTheStride() {
    // step = 10 - 3 = 7: [0,10) then [7, min(17, 11)) = [7,11), which reaches 11 and stops.
    assertThat(SlidingWindows.plan(11, 10, 3)).containsExactly(new Window(0, 10), new Window(7, 11));
  }

  @Test
  void strideZeroCutsWithoutOverlap() {
    // step = 10: [0,10) [10,20) [20,25).
    assertThat(SlidingWindows.plan(25, 10, 0))
        .containsExactly(new Window(0, 10), new Window(10, 20), new Window(20, 25));
    // Exact multiple: the window ending at 20 is the last; no empty trailing window.
    assertThat(SlidingWindows.plan(20, 10, 0)).containsExactly(new Window(0, 10), new Window(10, 20));
  }

  @Test
  void lastWindowStopsAtTheFirstWindowReachingTheEnd() {
    // step = 5: [0,10) [5,15) [10,20); [10,20) reaches 20, so no [15,20) follows.
    assertThat(SlidingWindows.plan(20, 10, 5))
        .containsExactly(new Window(0, 10), new Window(5, 15), new Window(10, 20));
  }

  @Test
  void largestValidStrideAdvancesOneTokenPerWindow() {
    // stride 3 of 4: step 1: [0,4) [1,5) [2,6).
    assertThat(SlidingWindows.plan(6, 4, 3))
        .containsExactly(new Window(0, 4), new Window(1, 5), new Window(2, 6));
  }

  @Test
  void consecutiveWindowsShareExactlyStrideTokensAndCoverEveryToken() {
    for (int n = 1; n <= 40; n++) {
      for (int max = 1; max <= 12; max++) {
        for (int stride = 0; stride < max; stride++) {
          var windows = SlidingWindows.plan(n, max, stride);
          assertThat(windows.get(0).start()).isZero();
          assertThat(windows.get(windows.size() - 1).end()).isEqualTo(n);
          for (int i = 0; i < windows.size(); i++) {
            assertThat(windows.get(i).length()).isBetween(1, max);
            if (i > 0) {
              assertThat(windows.get(i - 1).end() - windows.get(i).start())
                  .as("overlap n=%d max=%d stride=%d", n, max, stride).isEqualTo(stride);
            }
          }
        }
      }
    }
  }

  @Test
  void emptyTextHasNoWindow() {
    assertThat(SlidingWindows.plan(0, 10, 2)).isEmpty();
  }

  @Test
  void strideNotSmallerThanTheWindowIsRejectedWithWhatToChange() {
    assertThatThrownBy(() -> SlidingWindows.plan(100, 10, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stride 10")
        .hasMessageContaining("at most 9");
    // Rejected even when the text would fit: the configuration is wrong either way.
    assertThatThrownBy(() -> SlidingWindows.plan(3, 10, 12))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 9");
  }

  @Test
  void otherInvalidArgumentsAreRejected() {
    assertThatThrownBy(() -> SlidingWindows.plan(5, 10, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stride");
    assertThatThrownBy(() -> SlidingWindows.plan(5, 0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxContentTokens");
    assertThatThrownBy(() -> SlidingWindows.plan(-1, 10, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contentTokens");
  }
}
