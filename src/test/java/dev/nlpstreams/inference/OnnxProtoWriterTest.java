package dev.nlpstreams.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A model written with the protobuf writer, loaded and run by the real ONNX Runtime. */
class OnnxProtoWriterTest {

  @Test
  void aMatMulGraphComputesTheProduct() throws Exception {
    OnnxProtoWriter graph = new OnnxProtoWriter()
        .message(1, new OnnxProtoWriter().string(1, "a").string(1, "b").string(2, "c")
            .string(4, "MatMul"))
        .string(2, "product")
        .message(11, OnnxProtoWriter.valueInfo("a", OnnxJavaType.FLOAT))
        .message(11, OnnxProtoWriter.valueInfo("b", OnnxJavaType.FLOAT))
        .message(12, OnnxProtoWriter.valueInfo("c", OnnxJavaType.FLOAT));
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSessions.OpenedSession session = OrtSessions.open(OnnxProtoWriter.model(graph, 13),
            "matmul test", InferenceSettings.cpuDefaults());
        OnnxTensor a = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {1, 2, 3, 4}),
            new long[] {2, 2});
        OnnxTensor b = OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {5, 6, 7, 8}),
            new long[] {2, 2});
        OrtSession.Result out = session.session().run(Map.of("a", a, "b", b))) {
      float[] c = new float[4];
      ((OnnxTensor) out.get("c").orElseThrow()).getFloatBuffer().get(c);
      assertThat(c).containsExactly(19, 22, 43, 50);
    }
  }

  @Test
  void varintsUseSevenBitGroupsLowFirst() {
    // Field 1, varint 300: tag 0x08, then 0xAC 0x02.
    assertThat(new OnnxProtoWriter().varint(1, 300).bytes())
        .containsExactly(0x08, 0xAC, 0x02);
  }
}
