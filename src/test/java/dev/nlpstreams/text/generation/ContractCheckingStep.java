package dev.nlpstreams.text.generation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Wraps a step function, records every call, and fails the test when the search breaks the
 * {@link StepFunction} contract: it simulates a per-row KV cache that only works if
 * {@code reorder} hands each new row the cache of the row it continues.
 */
final class ContractCheckingStep implements StepFunction {
  private final StepFunction delegate;
  private final int startToken;
  /** Per call: the batch item of every row. */
  final List<int[]> callItems = new ArrayList<>();
  /** Per call: the tokens of every row. */
  final List<int[][]> callTokens = new ArrayList<>();
  private List<int[]> cache;
  private boolean reorderedSinceLastCall;

  ContractCheckingStep(StepFunction delegate, int startToken) {
    this.delegate = delegate;
    this.startToken = startToken;
  }

  @Override
  public float[][] next(DecoderRows rows) {
    int[] items = new int[rows.size()];
    int[][] tokens = new int[rows.size()][];
    for (int r = 0; r < rows.size(); r++) {
      items[r] = rows.item(r);
      tokens[r] = rows.tokens(r).clone();
      if (rows.lastToken(r) != tokens[r][tokens[r].length - 1] || rows.length(r) != tokens[r].length) {
        throw new AssertionError("lastToken/length disagree with tokens in row " + r);
      }
      if (tokens[r].length != tokens[0].length) {
        throw new AssertionError("rows of one call have different lengths");
      }
    }
    if (cache == null) {
      for (int r = 0; r < rows.size(); r++) {
        if (tokens[r].length != 1 || tokens[r][0] != startToken || items[r] != r) {
          throw new AssertionError("first call must have one start-token row per item, got " + Arrays.toString(tokens[r]));
        }
      }
    } else {
      if (!reorderedSinceLastCall) {
        throw new AssertionError("next() called twice without reorder() in between");
      }
      if (cache.size() != rows.size()) {
        throw new AssertionError("reorder announced " + cache.size() + " rows but next() got " + rows.size());
      }
      for (int r = 0; r < rows.size(); r++) {
        int[] expectedCached = Arrays.copyOf(tokens[r], tokens[r].length - 1);
        if (!Arrays.equals(cache.get(r), expectedCached)) {
          throw new AssertionError("row " + r + " has tokens " + Arrays.toString(tokens[r])
              + " but the KV cache reordered into it holds " + Arrays.toString(cache.get(r)));
        }
      }
    }
    callItems.add(items);
    callTokens.add(tokens);
    cache = new ArrayList<>(Arrays.asList(tokens));
    reorderedSinceLastCall = false;
    return delegate.next(rows);
  }

  @Override
  public void reorder(int[] parentRows) {
    if (reorderedSinceLastCall) {
      throw new AssertionError("reorder() called twice without next() in between");
    }
    List<int[]> next = new ArrayList<>();
    for (int p : parentRows) {
      if (p < 0 || p >= cache.size()) {
        throw new AssertionError("parent row " + p + " out of range 0.." + (cache.size() - 1));
      }
      next.add(cache.get(p));
    }
    cache = next;
    reorderedSinceLastCall = true;
    delegate.reorder(parentRows);
  }

  int calls() {
    return callItems.size();
  }

  /** 1-based numbers of the calls in which {@code item} had at least one row. */
  List<Integer> callsWithItem(int item) {
    List<Integer> out = new ArrayList<>();
    for (int c = 0; c < callItems.size(); c++) {
      if (Arrays.stream(callItems.get(c)).anyMatch(i -> i == item)) {
        out.add(c + 1);
      }
    }
    return out;
  }
}
