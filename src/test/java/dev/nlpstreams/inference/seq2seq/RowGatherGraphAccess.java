package dev.nlpstreams.inference.seq2seq;

import ai.onnxruntime.OnnxJavaType;
import java.util.List;

/** Lets tests in other packages open a small real graph. */
public final class RowGatherGraphAccess {
  private RowGatherGraphAccess() {}

  /** A graph gathering rows of one float tensor (inputs: indices, in.0). */
  public static byte[] oneFloatGather() {
    return RowGatherGraph.model(List.of(OnnxJavaType.FLOAT));
  }
}
