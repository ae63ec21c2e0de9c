package dev.nlpstreams.inference.seq2seq;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nlpstreams.text.generation.DecoderRows;
import dev.nlpstreams.text.generation.StepFunction;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The decoder as a {@link StepFunction} whose state stays in ONNX Runtime between steps: each run's
 * {@code present.*} outputs are the next run's {@code past_key_values.*} inputs as they are, the
 * cross-attention cache computed by the first run is reused to the end, the encoder states come
 * straight from the encoder's output, and {@link #reorder} gathers rows with a tiny ONNX graph
 * ({@link RowGatherGraph}) instead of copying through the Java heap. Only the token ids go in and only
 * the last position's logits come out, into one reused buffer when the graph fixes the vocabulary.
 *
 * <h2>Ownership</h2>
 * Every native value the step holds belongs to exactly one <em>owner</em>: a run's
 * {@link OrtSession.Result} (which closes all its outputs) or a tensor the step created. The state
 * maps each input name to a tensor and each tensor to its owner; after every change, owners no
 * tensor of the state needs any more are closed, and {@link #close} closes the rest. Per-call inputs
 * (token ids, empty first-step caches, the logits target) are closed before the call returns.
 */
final class OnnxDecoderStep implements StepFunction, AutoCloseable {

  /** Sees owners opened and closed; tests count them to prove nothing leaks. */
  interface NativeLedger {
    NativeLedger NONE = new NativeLedger() {
      @Override
      public void opened(AutoCloseable owner) {
      }

      @Override
      public void closed(AutoCloseable owner) {
      }
    };

    void opened(AutoCloseable owner);

    void closed(AutoCloseable owner);
  }

  private final Seq2SeqModelDir model;
  private final DecoderGraphs graphs;
  private final OrtSession.RunOptions runOptions;
  private final NativeLedger ledger;

  /** Input name -> the tensor the next decoder run (or the first) takes for it. */
  private final Map<String, OnnxTensor> state = new HashMap<>();
  private final Map<OnnxTensor, AutoCloseable> ownerOf = new IdentityHashMap<>();
  private final Set<AutoCloseable> owners = java.util.Collections.newSetFromMap(
      new IdentityHashMap<>());
  private boolean first = true;
  /** Rows of the last {@link #next} call: a re-ranking that keeps them all in order is free. */
  private int lastRows;
  /**
   * The batch item (source) each row of the state belongs to. A re-ranking that keeps every row's
   * source (beams re-ranked within their items) leaves the source-only state where it is.
   */
  private int[] rowItems;
  private FloatBuffer logitsTarget;
  private float[][] logitRows = new float[0][];

  /** The encoder states a step reads, looked up once its owner is held (so it is closed on failure). */
  private interface EncoderStates {
    OnnxTensor read() throws OrtException;
  }

  /**
   * A step after one encoder run: takes ownership of {@code encoded} (its {@code
   * last_hidden_state} is read in place) and builds the encoder mask tensor from {@code
   * encoderMask} ({@code [items, sourceLength]}).
   */
  static OnnxDecoderStep afterEncoderRun(Seq2SeqModelDir model, DecoderGraphs graphs,
      OrtSession.Result encoded, long[] encoderMask, int items, int sourceLength,
      OrtSession.RunOptions runOptions, NativeLedger ledger) throws OrtException {
    return new OnnxDecoderStep(model, graphs, encoded,
        () -> (OnnxTensor) encoded.get("last_hidden_state").orElseThrow(
            () -> new IllegalStateException("The encoder has no 'last_hidden_state' output")),
        encoderMask, items, sourceLength, runOptions, ledger);
  }

  /**
   * A step after several encoder runs: takes ownership of {@code encoderStates}, the batch's
   * encoder states ({@code [items, sourceLength, hidden]}) put together from them.
   */
  static OnnxDecoderStep afterEncoderStates(Seq2SeqModelDir model, DecoderGraphs graphs,
      OnnxTensor encoderStates, long[] encoderMask, int items, int sourceLength,
      OrtSession.RunOptions runOptions, NativeLedger ledger) throws OrtException {
    return new OnnxDecoderStep(model, graphs, encoderStates, () -> encoderStates, encoderMask,
        items, sourceLength, runOptions, ledger);
  }

  private OnnxDecoderStep(Seq2SeqModelDir model, DecoderGraphs graphs, AutoCloseable encoded,
      EncoderStates states, long[] encoderMask, int items, int sourceLength,
      OrtSession.RunOptions runOptions, NativeLedger ledger) throws OrtException {
    this.model = model;
    this.graphs = graphs;
    this.runOptions = runOptions;
    this.ledger = ledger;
    this.rowItems = java.util.stream.IntStream.range(0, items).toArray();
    adopt(encoded);
    try {
      hold("encoder_hidden_states", states.read(), encoded);
      OnnxTensor mask = OnnxTensor.createTensor(OrtEnvironment.getEnvironment(),
          LongBuffer.wrap(encoderMask), new long[] {items, sourceLength});
      adopt(mask);
      hold("encoder_attention_mask", mask, mask);
    } catch (OrtException | RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public float[][] next(DecoderRows rows) {
    int n = rows.size();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session = first ? graphs.firstStep : graphs.withPast;
    Set<String> declared = session.getInputNames();
    List<OnnxTensor> perCall = new ArrayList<>();
    try {
      Map<String, OnnxTensor> inputs = new HashMap<>();
      long[] ids = new long[n];
      for (int r = 0; r < n; r++) {
        ids[r] = rows.lastToken(r);
      }
      inputs.put("input_ids", perCall(perCall,
          OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {n, 1})));
      if (graphs.merged) {
        inputs.put("use_cache_branch", perCall(perCall,
            OnnxTensor.createTensor(env, new boolean[] {!first})));
      }
      for (String name : declared) {
        OnnxTensor held = state.get(name);
        if (held != null) {
          inputs.put(name, held);
        } else if (first && name.startsWith("past_key_values.")) {
          // The merged graph's first branch still declares the cache: feed it empty.
          inputs.put(name, perCall(perCall, OnnxTensor.createTensor(env,
              FloatBuffer.allocate(0), new long[] {n, model.decoderHeads(), 0,
                  model.headDim()})));
        }
      }
      inputs.keySet().retainAll(declared);
      if (!inputs.keySet().containsAll(declared)) {
        Set<String> missing = new TreeSet<>(declared);
        missing.removeAll(inputs.keySet());
        throw new IllegalStateException("The decoder graph declares inputs this runtime does not"
            + " know how to feed: " + missing);
      }
      Set<String> wanted = new LinkedHashSet<>(first ? graphs.firstStepCache
          : graphs.withPastCache);
      Map<String, OnnxValue> pinned = new HashMap<>();
      if (graphs.vocab > 0) {
        pinned.put("logits", perCall(perCall, OnnxTensor.createTensor(env, logitsTarget(n),
            new long[] {n, 1, graphs.vocab})));
      } else {
        wanted.add("logits");
      }
      if (!first) {
        // The unchanged cross-attention cache goes out where it came in: no copy (DecoderGraphs).
        graphs.withPastPassThrough.forEach((output, input) -> {
          OnnxTensor held = state.get(input);
          if (held != null) {
            pinned.put(output, held);
          }
        });
      }
      OrtSession.Result result = session.run(inputs, wanted, pinned, runOptions);
      adopt(result);
      float[][] logits = graphs.vocab > 0 ? readPinnedLogits(n) : readLogits(result, n);
      for (String output : wanted) {
        if (output.startsWith("present.")) {
          hold("past_key_values." + output.substring("present.".length()),
              (OnnxTensor) result.get(output).orElseThrow(), result);
        }
      }
      if (first) {
        // Encoder states the with-past graph does not take are needed no longer.
        state.keySet().removeIf(name -> !graphs.rowInputs.contains(name));
        first = false;
      }
      lastRows = n;
      releaseUnused();
      return logits;
    } catch (OrtException e) {
      throw new OrtRunFailure("Decoder step failed: " + e.getMessage(), e);
    } finally {
      perCall.forEach(OnnxTensor::close);
    }
  }

  @Override
  public void reorder(int[] parentRows) {
    if (isIdentity(parentRows)) {
      return;
    }
    int[] items = new int[parentRows.length];
    for (int r = 0; r < parentRows.length; r++) {
      items[r] = rowItems[parentRows[r]];
    }
    // Every row still reads the source it read: the encoder states, their mask and the
    // cross-attention cache are right as they are (in beam search that is most steps; copying
    // them cost as much as the self-attention cache, several times its size at the start).
    boolean sameSources = graphs.gatherDecoderCache != null
        && java.util.Arrays.equals(items, rowItems);
    rowItems = items;
    List<String> rowInputs = sameSources ? graphs.decoderCacheRowInputs : graphs.rowInputs;
    OrtSession gather = sameSources ? graphs.gatherDecoderCache : graphs.gather;
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OnnxTensor indices = OnnxTensor.createTensor(env,
        LongBuffer.wrap(java.util.Arrays.stream(parentRows).asLongStream().toArray()),
        new long[] {parentRows.length})) {
      Map<String, OnnxTensor> inputs = new HashMap<>();
      inputs.put(RowGatherGraph.INDICES, indices);
      for (int i = 0; i < rowInputs.size(); i++) {
        OnnxTensor held = state.get(rowInputs.get(i));
        if (held == null) {
          throw new IllegalStateException("No decoder state for '" + rowInputs.get(i)
              + "' to re-rank");
        }
        inputs.put(RowGatherGraph.input(i), held);
      }
      OrtSession.Result gathered = gather.run(inputs, runOptions);
      adopt(gathered);
      for (int i = 0; i < rowInputs.size(); i++) {
        hold(rowInputs.get(i),
            (OnnxTensor) gathered.get(RowGatherGraph.output(i)).orElseThrow(), gathered);
      }
      releaseUnused();
    } catch (OrtException e) {
      throw new OrtRunFailure("Re-ranking the decoder cache failed: " + e.getMessage(), e);
    }
  }

  /** Closes every native value the step still holds. */
  @Override
  public void close() {
    for (AutoCloseable owner : List.copyOf(owners)) {
      closeOwner(owner);
    }
    state.clear();
    ownerOf.clear();
  }

  /** Owners held now (a test hook: it stays small however many steps run). */
  int liveOwners() {
    return owners.size();
  }

  private boolean isIdentity(int[] parentRows) {
    if (parentRows.length != lastRows) {
      return false;
    }
    for (int r = 0; r < parentRows.length; r++) {
      if (parentRows[r] != r) {
        return false;
      }
    }
    return true;
  }

  private void adopt(AutoCloseable owner) {
    owners.add(owner);
    ledger.opened(owner);
  }

  private void hold(String name, OnnxTensor tensor, AutoCloseable owner) {
    state.put(name, tensor);
    ownerOf.put(tensor, owner);
  }

  private void releaseUnused() {
    Set<AutoCloseable> inUse = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    Set<OnnxTensor> held = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (OnnxTensor tensor : state.values()) {
      inUse.add(ownerOf.get(tensor));
      held.add(tensor);
    }
    ownerOf.keySet().retainAll(held);
    for (AutoCloseable owner : List.copyOf(owners)) {
      if (!inUse.contains(owner)) {
        closeOwner(owner);
      }
    }
  }

  private void closeOwner(AutoCloseable owner) {
    if (!owners.remove(owner)) {
      return;
    }
    try {
      owner.close();
    } catch (Exception e) {
      throw new IllegalStateException("Closing a decoder value failed: " + e.getMessage(), e);
    } finally {
      ledger.closed(owner);
    }
  }

  private static OnnxTensor perCall(List<OnnxTensor> perCall, OnnxTensor tensor) {
    perCall.add(tensor);
    return tensor;
  }

  /** A direct buffer for {@code rows} rows of logits, grown when a step has more rows. */
  private FloatBuffer logitsTarget(int rows) {
    int needed = rows * graphs.vocab;
    if (logitsTarget == null || logitsTarget.capacity() < needed) {
      logitsTarget = ByteBuffer.allocateDirect(needed * Float.BYTES)
          .order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
    FloatBuffer view = logitsTarget.duplicate();
    view.clear().limit(needed);
    return view.slice();
  }

  /** Copies the pinned logits into rows the step reuses (the search copies what it keeps). */
  private float[][] readPinnedLogits(int rows) {
    int vocab = graphs.vocab;
    if (logitRows.length < rows) {
      float[][] grown = java.util.Arrays.copyOf(logitRows, rows);
      for (int r = logitRows.length; r < rows; r++) {
        grown[r] = new float[vocab];
      }
      logitRows = grown;
    }
    float[][] out = new float[rows][];
    for (int r = 0; r < rows; r++) {
      out[r] = logitRows[r];
      logitsTarget.get(r * vocab, out[r]);
    }
    return out;
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
}
