package dev.nlpstreams.inference.seq2seq;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nlpstreams.text.generation.DecoderRows;
import dev.nlpstreams.text.generation.StepFunction;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The decoder as a {@link StepFunction}: the first call runs without past (computing the encoder
 * keys/values once), later calls feed only the last token with the cached keys/values, and
 * {@link #reorder} gathers the cache rows when beams are re-ranked or finished items leave.
 *
 * <p>The cache is held in Java arrays between steps and copied into fresh tensors per run: simple
 * and safe to close; keeping it in native tensors is a later optimisation.
 */
final class OnnxDecoderStep implements StepFunction {

  private final Seq2SeqModelDir model;
  private final OrtSession firstStep;
  private final OrtSession withPast;
  private final boolean merged;
  private final float[] encoderHidden;
  private final long[] encoderMask;
  private final int sourceLength;
  private final int hiddenSize;
  private final OrtSession.RunOptions runOptions;

  /** Per layer: [rows, heads, length, headDim]. */
  private float[][] selfKeys;
  private float[][] selfValues;
  private float[][] crossKeys;
  private float[][] crossValues;
  private int pastLength;

  OnnxDecoderStep(Seq2SeqModelDir model, OrtSession firstStep, OrtSession withPast,
      boolean merged, float[] encoderHidden, long[] encoderMask, int sourceLength,
      int hiddenSize, OrtSession.RunOptions runOptions) {
    this.model = model;
    this.firstStep = firstStep;
    this.withPast = withPast;
    this.merged = merged;
    this.encoderHidden = encoderHidden;
    this.encoderMask = encoderMask;
    this.sourceLength = sourceLength;
    this.hiddenSize = hiddenSize;
    this.runOptions = runOptions;
  }

  @Override
  public float[][] next(DecoderRows rows) {
    int n = rows.size();
    int layers = model.decoderLayers();
    int heads = model.decoderHeads();
    int headDim = model.headDim();
    boolean first = selfKeys == null;
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, OnnxTensor> inputs = new HashMap<>();
    OrtSession session = first ? firstStep : withPast;
    Set<String> declared = session.getInputNames();
    try {
      long[] ids = new long[n];
      int[] items = new int[n];
      for (int r = 0; r < n; r++) {
        ids[r] = rows.lastToken(r);
        items[r] = rows.item(r);
      }
      put(inputs, declared, "input_ids",
          () -> OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {n, 1}));
      put(inputs, declared, "encoder_attention_mask", () -> OnnxTensor.createTensor(env,
          LongBuffer.wrap(gatherItems(encoderMask, items, sourceLength)),
          new long[] {n, sourceLength}));
      put(inputs, declared, "encoder_hidden_states", () -> OnnxTensor.createTensor(env,
          FloatBuffer.wrap(gatherItems(encoderHidden, items, sourceLength * hiddenSize)),
          new long[] {n, sourceLength, hiddenSize}));
      if (merged) {
        put(inputs, declared, "use_cache_branch",
            () -> OnnxTensor.createTensor(env, new boolean[] {!first}));
      }
      for (int layer = 0; layer < layers; layer++) {
        int l = layer;
        long[] selfShape = {n, heads, first ? 0 : pastLength, headDim};
        long[] crossShape = {n, heads, first ? 0 : sourceLength, headDim};
        put(inputs, declared, "past_key_values." + l + ".decoder.key", () -> tensor(env,
            first ? new float[0] : selfKeys[l], selfShape));
        put(inputs, declared, "past_key_values." + l + ".decoder.value", () -> tensor(env,
            first ? new float[0] : selfValues[l], selfShape));
        put(inputs, declared, "past_key_values." + l + ".encoder.key", () -> tensor(env,
            first ? new float[0] : crossKeys[l], crossShape));
        put(inputs, declared, "past_key_values." + l + ".encoder.value", () -> tensor(env,
            first ? new float[0] : crossValues[l], crossShape));
      }
      if (!inputs.keySet().containsAll(declared)) {
        Set<String> missing = new java.util.TreeSet<>(declared);
        missing.removeAll(inputs.keySet());
        throw new IllegalStateException("The decoder graph declares inputs this runtime does not"
            + " know how to feed: " + missing);
      }
      try (OrtSession.Result result = session.run(inputs, runOptions)) {
        float[][] logits = readLogits(result, n);
        float[][] newSelfKeys = new float[layers][];
        float[][] newSelfValues = new float[layers][];
        for (int l = 0; l < layers; l++) {
          newSelfKeys[l] = floats(result, "present." + l + ".decoder.key");
          newSelfValues[l] = floats(result, "present." + l + ".decoder.value");
        }
        if (first) {
          crossKeys = new float[layers][];
          crossValues = new float[layers][];
          for (int l = 0; l < layers; l++) {
            crossKeys[l] = floats(result, "present." + l + ".encoder.key");
            crossValues[l] = floats(result, "present." + l + ".encoder.value");
          }
        }
        selfKeys = newSelfKeys;
        selfValues = newSelfValues;
        pastLength += 1;
        return logits;
      }
    } catch (OrtException e) {
      throw new OrtRunFailure("Decoder step failed: " + e.getMessage(), e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public void reorder(int[] parentRows) {
    int layers = model.decoderLayers();
    int selfRow = model.decoderHeads() * pastLength * model.headDim();
    int crossRow = model.decoderHeads() * sourceLength * model.headDim();
    for (int l = 0; l < layers; l++) {
      selfKeys[l] = gatherRows(selfKeys[l], parentRows, selfRow);
      selfValues[l] = gatherRows(selfValues[l], parentRows, selfRow);
      crossKeys[l] = gatherRows(crossKeys[l], parentRows, crossRow);
      crossValues[l] = gatherRows(crossValues[l], parentRows, crossRow);
    }
  }

  private interface TensorMaker {
    OnnxTensor make() throws OrtException;
  }

  private static void put(Map<String, OnnxTensor> inputs, Set<String> declared, String name,
      TensorMaker maker) throws OrtException {
    if (declared.contains(name)) {
      inputs.put(name, maker.make());
    }
  }

  private static OnnxTensor tensor(OrtEnvironment env, float[] data, long[] shape)
      throws OrtException {
    return OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
  }

  private static float[][] readLogits(OrtSession.Result result, int rows) throws OrtException {
    OnnxValue value = result.get("logits").orElseThrow(
        () -> new IllegalStateException("The decoder has no 'logits' output"));
    OnnxTensor tensor = (OnnxTensor) value;
    long[] shape = tensor.getInfo().getShape();
    int steps = (int) shape[1];
    int vocab = (int) shape[2];
    FloatBuffer buffer = tensor.getFloatBuffer();
    float[][] logits = new float[rows][vocab];
    for (int r = 0; r < rows; r++) {
      // Only the last position predicts the next token.
      buffer.position((r * steps + steps - 1) * vocab);
      buffer.get(logits[r]);
    }
    return logits;
  }

  private static float[] floats(OrtSession.Result result, String name) throws OrtException {
    OnnxValue value = result.get(name).orElseThrow(() -> new IllegalStateException(
        "The decoder graph has no output '" + name + "'"));
    FloatBuffer buffer = ((OnnxTensor) value).getFloatBuffer();
    float[] out = new float[buffer.remaining()];
    buffer.get(out);
    return out;
  }

  private static float[] gatherItems(float[] perItem, int[] items, int rowSize) {
    float[] out = new float[items.length * rowSize];
    for (int r = 0; r < items.length; r++) {
      System.arraycopy(perItem, items[r] * rowSize, out, r * rowSize, rowSize);
    }
    return out;
  }

  private static long[] gatherItems(long[] perItem, int[] items, int rowSize) {
    long[] out = new long[items.length * rowSize];
    for (int r = 0; r < items.length; r++) {
      System.arraycopy(perItem, items[r] * rowSize, out, r * rowSize, rowSize);
    }
    return out;
  }

  private static float[] gatherRows(float[] rows, int[] parents, int rowSize) {
    float[] out = new float[parents.length * rowSize];
    for (int r = 0; r < parents.length; r++) {
      System.arraycopy(rows, parents[r] * rowSize, out, r * rowSize, rowSize);
    }
    return out;
  }
}
