package dev.nlpstreams.text.ner;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a text's content tokens (special tokens excluded) into model-sized windows the way the Hugging
 * Face tokenizers do for {@code return_overflowing_tokens=True, stride=s}: windows of at most
 * {@code maxContentTokens} tokens, each starting {@code maxContentTokens - stride} tokens after the
 * previous one, so consecutive windows share exactly {@code stride} tokens; the last window ends at the
 * last token.
 */
public final class SlidingWindows {

  /** Content tokens {@code [start, end)} of one window. */
  public record Window(int start, int end) {
    public Window {
      if (start < 0 || end < start) {
        throw new IllegalArgumentException("invalid window [" + start + ", " + end + ")");
      }
    }

    /** Number of content tokens in the window. */
    public int length() {
      return end - start;
    }
  }

  private SlidingWindows() {}

  /**
   * Plans the windows over {@code contentTokens} tokens. One window when the text fits; no window at
   * all for an empty text (there is nothing to tag).
   *
   * @param maxContentTokens the model's maximum length minus the special tokens it adds per window
   * @param stride tokens shared by consecutive windows; 0 cuts without overlap
   * @throws IllegalArgumentException when the arguments cannot make progress; checked even when the
   *     text fits, so a bad configuration fails on the first record rather than the first long one
   */
  public static List<Window> plan(int contentTokens, int maxContentTokens, int stride) {
    if (contentTokens < 0) {
      throw new IllegalArgumentException("contentTokens must be >= 0, was " + contentTokens);
    }
    if (maxContentTokens < 1) {
      throw new IllegalArgumentException("the window must hold at least one content token, but "
          + "maxContentTokens was " + maxContentTokens + "; raise the model max length above the "
          + "number of special tokens it adds");
    }
    if (stride < 0) {
      throw new IllegalArgumentException("stride must be >= 0 (0 means no overlap), was " + stride);
    }
    if (stride >= maxContentTokens) {
      throw new IllegalArgumentException("stride " + stride + " must be smaller than the "
          + maxContentTokens + " content tokens a window holds (model max length minus special "
          + "tokens); set the stride to at most " + (maxContentTokens - 1)
          + ", typically a quarter to a half of the window");
    }
    if (contentTokens == 0) {
      return List.of();
    }
    List<Window> windows = new ArrayList<>();
    int step = maxContentTokens - stride;
    for (int start = 0; ; start += step) {
      int end = Math.min(start + maxContentTokens, contentTokens);
      windows.add(new Window(start, end));
      if (end == contentTokens) {
        return List.copyOf(windows);
      }
    }
  }
}
