package dev.nlpstreams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Reading ONNX Runtime's profiling trace (the shape of its trace events, hand-made). */
class OperatorProfileTest {

  private static String run(long ts, long dur) {
    return "{\"cat\":\"Session\",\"name\":\"model_run\",\"ts\":" + ts + ",\"dur\":" + dur + "}";
  }

  private static String kernel(String node, String op, long ts, long dur) {
    return "{\"cat\":\"Node\",\"name\":\"" + node + "_kernel_time\",\"ts\":" + ts + ",\"dur\":"
        + dur + ",\"args\":{\"op_name\":\"" + op + "\"}}";
  }

  private static final String TRACE = "[" + String.join(",",
      "{\"cat\":\"Session\",\"name\":\"session_initialization\",\"ts\":0,\"dur\":50}",
      // warm-up run: slow, not counted
      run(100, 1000), kernel("mm0", "MatMul", 110, 900), kernel("ln0", "LayerNormalization", 1010, 80),
      run(2000, 500), kernel("mm0", "MatMul", 2010, 300), kernel("mm1", "FusedMatMul", 2310, 100),
      kernel("ln0", "LayerNormalization", 2410, 60), kernel("mm0_fence_before", "MatMul", 2470, 0),
      run(3000, 500), kernel("mm0", "MatMul", 3010, 320), kernel("mm1", "FusedMatMul", 3330, 80),
      kernel("ln0", "LayerNormalization", 3410, 40)) + "]";

  @Test
  void kernelTimeIsSummedByOperatorAfterTheWarmUpLargestFirst() throws IOException {
    OperatorProfile profile = OperatorProfile.parse(TRACE, 1);

    assertThat(profile.runs()).isEqualTo(2);
    assertThat(profile.microsByOperator()).containsExactly(
        java.util.Map.entry("MatMul", 620L), java.util.Map.entry("FusedMatMul", 180L),
        java.util.Map.entry("LayerNormalization", 100L));
    assertThat(profile.totalMicros()).isEqualTo(900);
    assertThat(profile.matrixProductMicros()).isEqualTo(800);
    assertThat(profile.tableRows(2)).containsExactly("| MatMul | 0.3 | 68.9% |",
        "| FusedMatMul | 0.1 | 20.0% |", "| 1 other operator types | 0.1 | 11.1% |");
  }

  @Test
  void withoutAWarmUpEveryRunCountsAndATraceWithTooFewRunsIsRefused() throws IOException {
    assertThat(OperatorProfile.parse(TRACE, 0).microsByOperator().get("MatMul")).isEqualTo(1520);
    assertThatThrownBy(() -> OperatorProfile.parse(TRACE, 3)).isInstanceOf(IOException.class)
        .hasMessageContaining("3 model runs");
    assertThatThrownBy(() -> OperatorProfile.parse("{}", 0)).isInstanceOf(IOException.class);
  }
}
