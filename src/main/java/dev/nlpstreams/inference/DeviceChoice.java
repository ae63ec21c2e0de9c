package dev.nlpstreams.inference;

import dev.nlpstreams.config.DeviceSpec;

/**
 * The device decision, separated from ONNX Runtime so every branch is testable on a machine without
 * a GPU: {@code auto} falls back to CPU, an explicit {@code cuda} fails fast with what to do.
 */
record DeviceChoice(boolean useCuda, int cudaDeviceId, String fallbackReason) {

  static DeviceChoice decide(DeviceSpec requested, boolean cudaProviderInBuild) {
    return switch (requested.kind()) {
      case CPU -> new DeviceChoice(false, 0, null);
      case AUTO -> cudaProviderInBuild
          ? new DeviceChoice(true, 0, null)
          : new DeviceChoice(false, 0, "this ONNX Runtime build has no CUDA execution provider"
              + " (build with -Pcuda for onnxruntime_gpu)");
      case CUDA -> {
        if (!cudaProviderInBuild) {
          throw new ModelLoadException("nlp.inference.device=" + requested + " but this ONNX"
              + " Runtime build has no CUDA execution provider. Build with `mvn -Pcuda package`"
              + " (onnxruntime_gpu, needs CUDA 12 and cuDNN 9 on the host), or set"
              + " nlp.inference.device=auto or cpu.");
        }
        yield new DeviceChoice(true, requested.cudaDeviceId(), null);
      }
    };
  }
}
