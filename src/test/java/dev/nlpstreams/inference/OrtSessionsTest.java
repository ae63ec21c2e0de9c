package dev.nlpstreams.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  void allocatorOptionsComeFromTheConfigurationArenaOnMemoryPatternOff() {
    InferenceSettings defaults = dev.nlpstreams.app.NlpStreamsApp.inferenceSettings(
        dev.nlpstreams.config.NlpStreamsConfig.of(java.util.Map.of()));
    assertThat(defaults.cpuArena()).isTrue();
    // Measured by bench session: generation is faster without memory patterns (README).
    assertThat(defaults.memoryPattern()).isFalse();
    InferenceSettings flipped = dev.nlpstreams.app.NlpStreamsApp.inferenceSettings(
        dev.nlpstreams.config.NlpStreamsConfig.of(java.util.Map.of(
            "nlp.inference.cpu.arena", "false", "nlp.inference.memory.pattern", "true")));
    assertThat(flipped.cpuArena()).isFalse();
    assertThat(flipped.memoryPattern()).isTrue();
  }

  @Test
  void byDefaultSeq2seqModelsRunWithoutTheArenaAndEncodersWithIt() {
    var config = dev.nlpstreams.config.NlpStreamsConfig.of(java.util.Map.of());
    assertThat(dev.nlpstreams.app.NlpStreamsApp.inferenceSettings(config).cpuArena()).isTrue();
    InferenceSettings generation =
        dev.nlpstreams.app.NlpStreamsApp.generationInferenceSettings(config);
    assertThat(generation.cpuArena()).isFalse();
    assertThat(generation.runTimeoutMs()).isEqualTo(config.generationRunTimeoutMs());
    var arenaEverywhere = dev.nlpstreams.config.NlpStreamsConfig.of(
        java.util.Map.of("nlp.inference.cpu.arena", "true"));
    assertThat(dev.nlpstreams.app.NlpStreamsApp.generationInferenceSettings(arenaEverywhere)
        .cpuArena()).isTrue();
    assertThatThrownBy(() -> dev.nlpstreams.config.NlpStreamsConfig.of(
        java.util.Map.of("nlp.inference.cpu.arena", "yes")))
        .hasMessageContaining("nlp.inference.cpu.arena");
  }

  @Test
  void aSessionWithoutArenaOrMemoryPatternOpensAndRuns() throws Exception {
    InferenceSettings off = settings(false).withSessionOptions("basic", 1, false, false, false);
    byte[] graph = dev.nlpstreams.inference.seq2seq.RowGatherGraphAccess.oneFloatGather();
    try (OrtSessions.OpenedSession session = OrtSessions.open(graph, "allocator test", off)) {
      assertThat(session.device()).isEqualTo("cpu");
      assertThat(session.session().getInputNames()).hasSize(2);
    }
  }

  @Test
  void theOldConstructorKeepsSpinningOn() {
    assertThat(new InferenceSettings(DeviceSpec.CPU, 2, 1, "all", 1_000, 0, 0).allowSpinning())
        .isTrue();
  }
}
