package dev.nlpstreams.inference.seq2seq;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.ModelLoadException;
import dev.nlpstreams.inference.OrtSessions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The decoder sessions of one model and what the step loop needs to know about them, read once at
 * load: which with-past inputs hold one row per decoder row (the key/value cache, the encoder mask
 * and states) and so must follow beam re-ranking, the session that gathers them natively, and the
 * vocabulary size when the graph fixes it (then the logits are written into one reused buffer).
 */
final class DecoderGraphs implements AutoCloseable {
  final OrtSession firstStep;
  final OrtSession withPast;
  final boolean merged;
  /** With-past inputs that carry one row per decoder row, sorted; gather input i is entry i. */
  final List<String> rowInputs;
  /** Gathers {@link #rowInputs} rows; see {@link RowGatherGraph}. */
  final OrtSession gather;
  /**
   * The {@link #rowInputs} that depend on the decoder's own tokens: the self-attention cache. The
   * others (the encoder's states and mask, the cross-attention cache) depend only on the source a
   * row belongs to, so a re-ranking among the rows of the same sources (beam search between two
   * finished items) leaves them as they are and gathers only these, with {@link #gatherDecoderCache}.
   * Empty (and that session null) when the graph names no {@code past_key_values.N.decoder.*}
   * input: then every re-ranking gathers all row inputs.
   */
  final List<String> decoderCacheRowInputs;
  final OrtSession gatherDecoderCache;
  /** The logits' last dimension when the graph declares it, else -1. */
  final int vocab;
  /** The cache outputs the first step keeps: every {@code present.*} (self and cross attention). */
  final Set<String> firstStepCache;
  /** The cache outputs later steps keep: the self-attention ones (the cross cache never changes). */
  final Set<String> withPastCache;
  /**
   * With-past outputs that only pass an input through, each with that input: in Optimum's merged
   * export the with-past branch returns the cross-attention cache through an Identity. ONNX Runtime
   * gives every output a fresh buffer, so every step copied the whole cross-attention cache (under
   * ONNX Runtime's profiler, 45% of the bench Marian decoder's time; without the profiler, greedy
   * int8 ran 1.18x faster once the copies were gone). The step hands the input's own tensor in as
   * the output ({@link OnnxDecoderStep}), and Identity does not copy a tensor onto itself.
   */
  final Map<String, String> withPastPassThrough;
  private final OrtSessions.OpenedSession gatherSession;
  private final OrtSessions.OpenedSession gatherDecoderCacheSession;

  private DecoderGraphs(OrtSession firstStep, OrtSession withPast, boolean merged,
      List<String> rowInputs, OrtSessions.OpenedSession gatherSession,
      List<String> decoderCacheRowInputs, OrtSessions.OpenedSession gatherDecoderCacheSession,
      int vocab) {
    this.firstStep = firstStep;
    this.withPast = withPast;
    this.merged = merged;
    this.rowInputs = rowInputs;
    this.gatherSession = gatherSession;
    this.gather = gatherSession.session();
    this.decoderCacheRowInputs = decoderCacheRowInputs;
    this.gatherDecoderCacheSession = gatherDecoderCacheSession;
    this.gatherDecoderCache = gatherDecoderCacheSession == null ? null
        : gatherDecoderCacheSession.session();
    this.vocab = vocab;
    this.firstStepCache = cacheOutputs(firstStep, true);
    this.withPastCache = cacheOutputs(withPast, false);
    this.withPastPassThrough = passThroughOutputs(withPast.getOutputNames(),
        withPast.getInputNames());
  }

  /** The cross-attention {@code present.*} outputs whose {@code past_key_values.*} input exists. */
  static Map<String, String> passThroughOutputs(Set<String> outputs, Set<String> inputs) {
    Map<String, String> passThrough = new TreeMap<>();
    for (String output : outputs) {
      if (output.startsWith("present.") && (output.endsWith(".encoder.key")
          || output.endsWith(".encoder.value"))) {
        String input = "past_key_values." + output.substring("present.".length());
        if (inputs.contains(input)) {
          passThrough.put(output, input);
        }
      }
    }
    return Collections.unmodifiableMap(passThrough);
  }

  private static Set<String> cacheOutputs(OrtSession session, boolean crossAttentionToo) {
    Set<String> outputs = new LinkedHashSet<>();
    for (String output : session.getOutputNames()) {
      if (output.startsWith("present.") && (crossAttentionToo || output.endsWith(".decoder.key")
          || output.endsWith(".decoder.value"))) {
        outputs.add(output);
      }
    }
    return Collections.unmodifiableSet(outputs);
  }

  static DecoderGraphs open(OrtSession firstStep, OrtSession withPast, boolean merged,
      InferenceSettings settings) {
    try {
      Map<String, NodeInfo> inputs = withPast.getInputInfo();
      Map<String, OnnxJavaType> rowTypes = new TreeMap<>();
      for (Map.Entry<String, NodeInfo> input : inputs.entrySet()) {
        String name = input.getKey();
        if (isRowInput(name) && input.getValue().getInfo() instanceof TensorInfo info) {
          rowTypes.put(name, info.type);
        }
      }
      List<String> rowInputs = List.copyOf(rowTypes.keySet());
      Map<String, OnnxJavaType> decoderCacheTypes = new TreeMap<>(rowTypes);
      decoderCacheTypes.keySet().removeIf(name -> !isDecoderCacheInput(name));
      OrtSessions.OpenedSession gather = OrtSessions.open(
          RowGatherGraph.model(new ArrayList<>(rowTypes.values())), "cache row gather", settings);
      try {
        OrtSessions.OpenedSession gatherDecoderCache = decoderCacheTypes.isEmpty() ? null
            : OrtSessions.open(RowGatherGraph.model(new ArrayList<>(decoderCacheTypes.values())),
                "self-attention cache row gather", settings);
        try {
          return new DecoderGraphs(firstStep, withPast, merged, rowInputs, gather,
              List.copyOf(decoderCacheTypes.keySet()), gatherDecoderCache, staticVocab(withPast));
        } catch (OrtException | RuntimeException e) {
          if (gatherDecoderCache != null) {
            gatherDecoderCache.close();
          }
          throw e;
        }
      } catch (OrtException | RuntimeException e) {
        gather.close();
        throw e;
      }
    } catch (OrtException e) {
      throw new ModelLoadException("Cannot read the decoder graph's inputs: " + e.getMessage(), e);
    }
  }

  static boolean isRowInput(String name) {
    return name.startsWith("past_key_values.") || name.equals("encoder_attention_mask")
        || name.equals("encoder_hidden_states");
  }

  /** A self-attention cache input: {@code past_key_values.N.decoder.key} or {@code .value}. */
  static boolean isDecoderCacheInput(String name) {
    return name.startsWith("past_key_values.") && (name.endsWith(".decoder.key")
        || name.endsWith(".decoder.value"));
  }

  private static int staticVocab(OrtSession session) throws OrtException {
    NodeInfo logits = session.getOutputInfo().get("logits");
    if (logits != null && logits.getInfo() instanceof TensorInfo info) {
      long[] shape = info.getShape();
      if (shape.length == 3 && shape[2] > 0 && info.type == OnnxJavaType.FLOAT) {
        return Math.toIntExact(shape[2]);
      }
    }
    return -1;
  }

  @Override
  public void close() {
    try {
      if (gatherDecoderCacheSession != null) {
        gatherDecoderCacheSession.close();
      }
    } finally {
      gatherSession.close();
    }
  }
}
