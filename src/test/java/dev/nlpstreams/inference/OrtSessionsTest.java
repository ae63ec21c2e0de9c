package dev.nlpstreams.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtSession;
import dev.nlpstreams.config.DeviceSpec;
import org.junit.jupiter.api.Test;

class OrtSessionsTest {

  private static InferenceSettings settings(boolean allowSpinning) {
    return new InferenceSettings(DeviceSpec.CPU, 2, 1, "all", 1_000, 0, 0, allowSpinning);
  }

  @Test
  void spinningOffIsPassedToBothThreadPools() throws Exception {
    try (OrtSession.SessionOptions options = OrtSessions.options(settings(false), false, 0)) {
      assertThat(options.getConfigEntries())
          .containsEntry("session.intra_op.allow_spinning", "0")
          .containsEntry("session.inter_op.allow_spinning", "0");
    }
  }

  @Test
  void spinningOnKeepsOnnxRuntimesDefault() throws Exception {
    try (OrtSession.SessionOptions options = OrtSessions.options(settings(true), false, 0)) {
      assertThat(options.getConfigEntries())
          .containsEntry("session.intra_op.allow_spinning", "1")
          .containsEntry("session.inter_op.allow_spinning", "1");
    }
  }

  @Test
  void theOldConstructorKeepsSpinningOn() {
    assertThat(new InferenceSettings(DeviceSpec.CPU, 2, 1, "all", 1_000, 0, 0).allowSpinning())
        .isTrue();
  }
}
