package dev.nlpstreams.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nlpstreams.inference.InferenceSettings;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Batch and run budgets follow the device unless configured; a GPU gets far larger ones. */
class BatchBudgetsTest {

  @Test
  void aCudaDeviceGetsTheGpuBudgetsAndAnythingElseTheCpuOnes() {
    assertThat(BatchBudgets.forDevice("cuda:0")).isEqualTo(BatchBudgets.GPU);
    assertThat(BatchBudgets.forDevice("cuda:3")).isEqualTo(BatchBudgets.GPU);
    assertThat(BatchBudgets.forDevice("cpu")).isEqualTo(BatchBudgets.CPU);
    assertThat(BatchBudgets.forDevice(null)).isEqualTo(BatchBudgets.CPU);
    assertThat(BatchBudgets.GPU.batchMaxRecords()).isGreaterThan(BatchBudgets.CPU.batchMaxRecords());
    assertThat(BatchBudgets.GPU.runMaxTokens()).isGreaterThan(BatchBudgets.CPU.runMaxTokens());
  }

  @Test
  void unsetSettingsFollowTheDeviceAndSetOnesWinOnEveryDevice() {
    NlpStreamsConfig defaults = NlpStreamsConfig.of(Map.of());
    assertThat(defaults.budgets("cpu")).isEqualTo(BatchBudgets.CPU);
    assertThat(defaults.budgets("cuda:0")).isEqualTo(BatchBudgets.GPU);

    NlpStreamsConfig tuned = NlpStreamsConfig.of(Map.of(NlpStreamsConfig.BATCH_MAX_RECORDS, "64",
        NlpStreamsConfig.INFERENCE_MAX_BATCH_TOKENS, "16384"));
    assertThat(tuned.budgets("cuda:0")).isEqualTo(new BatchBudgets(64, 65_536, 128, 16_384));
    assertThat(tuned.budgets("cpu")).isEqualTo(new BatchBudgets(64, 8_192, 32, 16_384));
  }

  @Test
  void modelRunsUseTheirOwnDevicesDefaultUnlessConfigured() {
    InferenceSettings byDevice = InferenceSettings.cpuDefaults().withDevice(DeviceSpec.AUTO);
    InferenceSettings unset = new InferenceSettings(byDevice.device(), 1, 1, "all", 1_000, 0, 0);
    assertThat(unset.runMaxRows("cpu")).isEqualTo(32);
    assertThat(unset.runMaxRows("cuda:0")).isEqualTo(128);
    assertThat(unset.runMaxTokens("cuda:0")).isEqualTo(32_768);
    InferenceSettings set = new InferenceSettings(byDevice.device(), 1, 1, "all", 1_000, 8, 512);
    assertThat(set.runMaxRows("cuda:0")).isEqualTo(8);
    assertThat(set.runMaxTokens("cpu")).isEqualTo(512);
  }

  @Test
  void aBudgetBelowOneIsRefusedWithWhatIsAllowed() {
    assertThatThrownBy(() -> NlpStreamsConfig.of(Map.of(NlpStreamsConfig.BATCH_MAX_RECORDS, "0")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("device default");
    assertThatThrownBy(() -> new BatchBudgets(0, 1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
