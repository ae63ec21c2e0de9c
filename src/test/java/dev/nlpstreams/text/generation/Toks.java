package dev.nlpstreams.text.generation;

/** Token ids of the toy vocabulary used by the hand-checked tests. */
final class Toks {
  static final int PAD = 0;
  static final int EOS = 1;
  static final int START = 2;
  static final int A = 3;
  static final int B = 4;
  static final int C = 5;
  static final int VOCAB = 6;

  private Toks() {
  }
}
