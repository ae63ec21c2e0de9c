package dev.nlpstreams.inference;

import dev.nlpstreams.config.BatchBudgets;
import dev.nlpstreams.config.DeviceSpec;
import dev.nlpstreams.config.ModelPrecision;

/**
 * How sessions are built and runs are cut and bounded.
 *
 * @param maxBatchSize rows in one model run, or 0 for the default of the device the model runs on
 * @param maxBatchTokens padded tokens in one model run, or 0 for the device's default
 * @param allowSpinning whether ONNX Runtime's idle pool threads spin-wait for work (lower latency
 *     per operator, but they burn cores that stream threads and the Kafka clients need)
 * @param cpuArena whether CPU memory comes from ONNX Runtime's arena allocator (its default)
 * @param memoryPattern whether ONNX Runtime plans buffers from the previous run of the same shapes
 *     (its default)
 * @param precision which graphs of a model directory are loaded (fp32, or int8's
 *     {@code onnx/*_quantized.onnx})
 */
public record InferenceSettings(DeviceSpec device, int intraOpThreads, int interOpThreads,
    String optimizationLevel, long runTimeoutMs, int maxBatchSize, int maxBatchTokens,
    boolean allowSpinning, boolean cpuArena, boolean memoryPattern, ModelPrecision precision) {

  public InferenceSettings {
    if (precision == null) {
      throw new IllegalArgumentException("precision is null: use ModelPrecision.FP32");
    }
  }

  /** The fp32 graphs, with ONNX Runtime's allocator defaults (arena and memory pattern on). */
  public InferenceSettings(DeviceSpec device, int intraOpThreads, int interOpThreads,
      String optimizationLevel, long runTimeoutMs, int maxBatchSize, int maxBatchTokens,
      boolean allowSpinning) {
    this(device, intraOpThreads, interOpThreads, optimizationLevel, runTimeoutMs, maxBatchSize,
        maxBatchTokens, allowSpinning, true, true, ModelPrecision.FP32);
  }

  /** With ONNX Runtime's default: pool threads spin while they wait. */
  public InferenceSettings(DeviceSpec device, int intraOpThreads, int interOpThreads,
      String optimizationLevel, long runTimeoutMs, int maxBatchSize, int maxBatchTokens) {
    this(device, intraOpThreads, interOpThreads, optimizationLevel, runTimeoutMs, maxBatchSize,
        maxBatchTokens, true);
  }

  /** Rows in one run of a model on {@code device} ({@code cpu}, {@code cuda:0}). */
  public int runMaxRows(String runsOn) {
    return maxBatchSize > 0 ? maxBatchSize : BatchBudgets.forDevice(runsOn).runMaxRows();
  }

  /** Padded tokens in one run of a model on {@code device}. */
  public int runMaxTokens(String runsOn) {
    return maxBatchTokens > 0 ? maxBatchTokens : BatchBudgets.forDevice(runsOn).runMaxTokens();
  }

  public static InferenceSettings cpuDefaults() {
    return new InferenceSettings(DeviceSpec.CPU, Math.max(1, Runtime.getRuntime()
        .availableProcessors()), 1, "all", 30_000, 32, 4096);
  }

  public InferenceSettings withRunTimeoutMs(long newRunTimeoutMs) {
    return new InferenceSettings(device, intraOpThreads, interOpThreads, optimizationLevel,
        newRunTimeoutMs, maxBatchSize, maxBatchTokens, allowSpinning, cpuArena, memoryPattern,
        precision);
  }

  public InferenceSettings withDevice(DeviceSpec newDevice) {
    return new InferenceSettings(newDevice, intraOpThreads, interOpThreads, optimizationLevel,
        runTimeoutMs, maxBatchSize, maxBatchTokens, allowSpinning, cpuArena, memoryPattern,
        precision);
  }

  public InferenceSettings withPrecision(ModelPrecision newPrecision) {
    return new InferenceSettings(device, intraOpThreads, interOpThreads, optimizationLevel,
        runTimeoutMs, maxBatchSize, maxBatchTokens, allowSpinning, cpuArena, memoryPattern,
        newPrecision);
  }

  /** The same settings with other session options (what {@code bench session} compares). */
  public InferenceSettings withSessionOptions(String newOptimizationLevel, int newIntraOpThreads,
      boolean newAllowSpinning, boolean newCpuArena, boolean newMemoryPattern) {
    return new InferenceSettings(device, newIntraOpThreads, interOpThreads, newOptimizationLevel,
        runTimeoutMs, maxBatchSize, maxBatchTokens, newAllowSpinning, newCpuArena,
        newMemoryPattern, precision);
  }
}
