package dev.nlpstreams.inference.seq2seq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.OrtSessions;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-written ONNX gather graph, run by the real ONNX Runtime. */
class RowGatherGraphTest {

  @Test
  void gathersRowsOfEveryTensorWithOneIndexVectorRepeatingAndDroppingRows() throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    byte[] graph = RowGatherGraph.model(List.of(OnnxJavaType.FLOAT, OnnxJavaType.INT64));
    try (OrtSessions.OpenedSession session = OrtSessions.open(graph, "gather test",
            InferenceSettings.cpuDefaults());
        // [3 rows, 2, 2] and [3 rows, 4]
        OnnxTensor cache = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {
            0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23}), new long[] {3, 2, 2});
        OnnxTensor mask = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {
            1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 1}), new long[] {3, 4});
        OnnxTensor rows = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {2, 0, 0}),
            new long[] {3});
        OrtSession.Result out = session.session().run(Map.of(RowGatherGraph.INDICES, rows,
            RowGatherGraph.input(0), cache, RowGatherGraph.input(1), mask))) {
      OnnxTensor gatheredCache = (OnnxTensor) out.get(RowGatherGraph.output(0)).orElseThrow();
      OnnxTensor gatheredMask = (OnnxTensor) out.get(RowGatherGraph.output(1)).orElseThrow();
      assertThat(gatheredCache.getInfo().getShape()).containsExactly(3, 2, 2);
      float[] c = new float[12];
      gatheredCache.getFloatBuffer().get(c);
      assertThat(c).containsExactly(20, 21, 22, 23, 0, 1, 2, 3, 0, 1, 2, 3);
      long[] m = new long[12];
      gatheredMask.getLongBuffer().get(m);
      assertThat(m).containsExactly(1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0);
    }
  }

  @Test
  void refusesElementTypesOnnxHasNoNumberFor() {
    assertThatThrownBy(() -> RowGatherGraph.model(List.of(OnnxJavaType.STRING)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("STRING");
  }
}
