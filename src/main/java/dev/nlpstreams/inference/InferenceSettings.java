package dev.nlpstreams.inference;

import dev.nlpstreams.config.DeviceSpec;

/** How sessions are built and runs are cut and bounded. */
public record InferenceSettings(DeviceSpec device, int intraOpThreads, int interOpThreads,
    String optimizationLevel, long runTimeoutMs, int maxBatchSize, int maxBatchTokens) {

  public static InferenceSettings cpuDefaults() {
    return new InferenceSettings(DeviceSpec.CPU, Math.max(1, Runtime.getRuntime()
        .availableProcessors()), 1, "all", 30_000, 32, 4096);
  }

  public InferenceSettings withRunTimeoutMs(long newRunTimeoutMs) {
    return new InferenceSettings(device, intraOpThreads, interOpThreads, optimizationLevel,
        newRunTimeoutMs, maxBatchSize, maxBatchTokens);
  }

  public InferenceSettings withDevice(DeviceSpec newDevice) {
    return new InferenceSettings(newDevice, intraOpThreads, interOpThreads, optimizationLevel,
        runTimeoutMs, maxBatchSize, maxBatchTokens);
  }
}
