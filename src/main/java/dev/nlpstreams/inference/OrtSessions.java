package dev.nlpstreams.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import dev.nlpstreams.config.DeviceSpec;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates ONNX Runtime sessions on the configured device, falling back to CPU where allowed. */
public final class OrtSessions {
  private static final Logger LOG = LoggerFactory.getLogger(OrtSessions.class);

  private OrtSessions() {}

  /** A session and the device it actually runs on ("cpu" or "cuda:N"). */
  public record OpenedSession(OrtSession session, String device) implements AutoCloseable {
    @Override
    public void close() {
      try {
        session.close();
      } catch (OrtException e) {
        LOG.warn("Closing ONNX Runtime session failed: {}", e.getMessage());
      }
    }
  }

  public static boolean cudaProviderInBuild() {
    return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
  }

  public static OpenedSession open(Path onnxFile, InferenceSettings settings) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    return open(onnxFile.getFileName().toString(), onnxFile.toString(),
        options -> env.createSession(onnxFile.toString(), options), settings);
  }

  /**
   * Opens {@code onnxFile} on the CPU with ONNX Runtime's profiler writing a trace to a file named
   * from {@code tracePrefix} ({@code OrtSession.endProfiling()} returns its path). For the
   * operator benchmark only: profiling slows every run a little.
   */
  public static OpenedSession openProfiled(Path onnxFile, InferenceSettings settings,
      Path tracePrefix) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = options(settings, false, 0)) {
      options.enableProfiling(tracePrefix.toString());
      return new OpenedSession(env.createSession(onnxFile.toString(), options), "cpu");
    } catch (OrtException e) {
      throw new ModelLoadException("ONNX Runtime cannot load " + onnxFile + ": "
          + e.getMessage(), e);
    }
  }

  /** Opens a graph held in memory (one the application builds itself), named {@code label}. */
  public static OpenedSession open(byte[] graph, String label, InferenceSettings settings) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    return open(label, label, options -> env.createSession(graph, options), settings);
  }

  private interface SessionFactory {
    OrtSession create(OrtSession.SessionOptions options) throws OrtException;
  }

  private static OpenedSession open(String shortName, String source, SessionFactory factory,
      InferenceSettings settings) {
    DeviceChoice choice = DeviceChoice.decide(settings.device(), cudaProviderInBuild());
    if (choice.useCuda()) {
      try (OrtSession.SessionOptions options = options(settings, true, choice.cudaDeviceId())) {
        return new OpenedSession(factory.create(options), "cuda:" + choice.cudaDeviceId());
      } catch (OrtException e) {
        if (settings.device().kind() == DeviceSpec.Kind.CUDA) {
          throw new ModelLoadException("nlp.inference.device=" + settings.device() + " but CUDA"
              + " could not be initialised: " + e.getMessage() + ". Check the driver, CUDA 12"
              + " and cuDNN 9 libraries, or set nlp.inference.device=auto or cpu.", e);
        }
        LOG.warn("CUDA is unavailable ({}); running {} on CPU", e.getMessage(), shortName);
      }
    } else if (choice.fallbackReason() != null) {
      LOG.info("CUDA is unavailable ({}); running {} on CPU", choice.fallbackReason(), shortName);
    }
    try (OrtSession.SessionOptions options = options(settings, false, 0)) {
      return new OpenedSession(factory.create(options), "cpu");
    } catch (OrtException e) {
      throw new ModelLoadException("ONNX Runtime cannot load " + source + ": " + e.getMessage(),
          e);
    }
  }

  static OrtSession.SessionOptions options(InferenceSettings settings, boolean cuda,
      int deviceId) throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      options.setIntraOpNumThreads(settings.intraOpThreads());
      options.setInterOpNumThreads(settings.interOpThreads());
      options.setOptimizationLevel(optLevel(settings.optimizationLevel()));
      // ONNX Runtime's documented session keys; "1" is its default.
      String spinning = settings.allowSpinning() ? "1" : "0";
      options.addConfigEntry("session.intra_op.allow_spinning", spinning);
      options.addConfigEntry("session.inter_op.allow_spinning", spinning);
      options.setCPUArenaAllocator(settings.cpuArena());
      options.setMemoryPatternOptimization(settings.memoryPattern());
      if (cuda) {
        options.addCUDA(deviceId);
      }
      return options;
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }

  static OptLevel optLevel(String level) {
    return switch (level.toLowerCase(Locale.ROOT)) {
      case "none" -> OptLevel.NO_OPT;
      case "basic" -> OptLevel.BASIC_OPT;
      case "extended" -> OptLevel.EXTENDED_OPT;
      case "all" -> OptLevel.ALL_OPT;
      default -> throw new IllegalArgumentException("Unknown optimization level '" + level
          + "': use none, basic, extended or all");
    };
  }
}
