package dev.nlpstreams.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nlpstreams.config.DeviceSpec;
import org.junit.jupiter.api.Test;

class DeviceChoiceTest {

  @Test
  void autoUsesCudaWhenTheBuildHasIt() {
    DeviceChoice choice = DeviceChoice.decide(DeviceSpec.AUTO, true);
    assertThat(choice.useCuda()).isTrue();
    assertThat(choice.fallbackReason()).isNull();
  }

  @Test
  void autoFallsBackToCpuAndSaysWhy() {
    DeviceChoice choice = DeviceChoice.decide(DeviceSpec.AUTO, false);
    assertThat(choice.useCuda()).isFalse();
    assertThat(choice.fallbackReason()).contains("-Pcuda");
  }

  @Test
  void explicitCudaFailsFastWithWhatToDo() {
    assertThatThrownBy(() -> DeviceChoice.decide(DeviceSpec.parse("cuda:1"), false))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("cuda:1")
        .hasMessageContaining("mvn -Pcuda package")
        .hasMessageContaining("nlp.inference.device=auto or cpu");
  }

  @Test
  void explicitCudaKeepsTheDeviceIndex() {
    DeviceChoice choice = DeviceChoice.decide(DeviceSpec.parse("cuda:2"), true);
    assertThat(choice.useCuda()).isTrue();
    assertThat(choice.cudaDeviceId()).isEqualTo(2);
  }

  @Test
  void cpuNeverTouchesCuda() {
    assertThat(DeviceChoice.decide(DeviceSpec.CPU, true).useCuda()).isFalse();
  }
}
