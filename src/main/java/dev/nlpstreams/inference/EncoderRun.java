package dev.nlpstreams.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.nlpstreams.text.task.InferenceException;
import dev.nlpstreams.text.task.InferenceStoppedException;
import dev.nlpstreams.text.task.InferenceTimeoutException;
import dev.nlpstreams.text.task.ModelIdentity;
import dev.nlpstreams.text.task.ModelRun;
import dev.nlpstreams.text.task.ModelRunListener;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One run of an encoder-only model (token classification, sentence embeddings) over rows of token
 * ids: pads them to the longest row, feeds {@code input_ids}, {@code attention_mask} and (when the
 * graph has it) {@code token_type_ids}, runs under a deadline the model's {@link RunWatchdog} can
 * cancel, hands the result to the caller and reports the run. Every tensor is closed once, and
 * ONNX Runtime's failures come back as the port's exceptions: stopped (the model is closing),
 * timed out (past the deadline), or failed.
 *
 * @param session the model's session
 * @param watchdog the model's watchdog
 * @param identity the model's name and device, for the run report and messages
 * @param padTokenId the id padding fills rows with
 * @param feedsTokenTypeIds whether the graph takes {@code token_type_ids}
 * @param outputs the outputs to compute, or null for all
 */
record EncoderRun(OrtSession session, RunWatchdog watchdog, ModelIdentity identity,
    long padTokenId, boolean feedsTokenTypeIds, Set<String> outputs) {

  /** Reads what a caller needs from the run's result while its tensors are still open. */
  @FunctionalInterface
  interface ResultReader {
    void read(OrtSession.Result result, int width, long[] mask)
        throws InferenceException, OrtException;
  }

  /**
   * Runs {@code ids} (with their {@code typeIds}) as one padded batch.
   *
   * @param maxRows the most rows a run may hold, for the run report's fill
   * @param runTimeoutMs the run is cancelled after this long
   */
  void run(List<long[]> ids, List<long[]> typeIds, int maxRows, long runTimeoutMs,
      ModelRunListener listener, ResultReader reader) throws InferenceException {
    int rows = ids.size();
    int width = 0;
    long realTokens = 0;
    for (long[] row : ids) {
      width = Math.max(width, row.length);
      realTokens += row.length;
    }
    long[] flatIds = new long[rows * width];
    long[] mask = new long[rows * width];
    long[] types = new long[rows * width];
    Arrays.fill(flatIds, padTokenId);
    for (int row = 0; row < rows; row++) {
      long[] rowIds = ids.get(row);
      System.arraycopy(rowIds, 0, flatIds, row * width, rowIds.length);
      System.arraycopy(typeIds.get(row), 0, types, row * width, typeIds.get(row).length);
      Arrays.fill(mask, row * width, row * width + rowIds.length, 1L);
    }
    long[] shape = {rows, width};
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try (OrtSession.RunOptions runOptions = new OrtSession.RunOptions()) {
      try {
        inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(flatIds), shape));
        inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
        if (feedsTokenTypeIds) {
          inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
        }
        RunWatchdog.Deadline deadline;
        try {
          deadline = watchdog.arm(runOptions, runTimeoutMs);
        } catch (ModelClosingException e) {
          throw new InferenceStoppedException(e.getMessage(), e);
        }
        long started = System.nanoTime();
        try (deadline; OrtSession.Result result = outputs == null
            ? session.run(inputs, runOptions) : session.run(inputs, outputs, runOptions)) {
          reader.read(result, width, mask);
          listener.modelRun(new ModelRun(identity.name(), identity.device(), rows, maxRows,
              realTokens, (long) rows * width, System.nanoTime() - started, 0));
        } catch (OrtException e) {
          if (deadline.stopped()) {
            throw new InferenceStoppedException("Model run stopped: the model is closing", e);
          }
          if (deadline.fired()) {
            throw new InferenceTimeoutException("Model run of " + rows + " x " + width
                + " tokens exceeded its deadline of " + runTimeoutMs + " ms"
                + " (nlp.inference.run.timeout.ms) and was cancelled", e);
          }
          throw new InferenceException("Model run of " + rows + " x " + width + " tokens failed: "
              + e.getMessage(), e);
        }
      } finally {
        for (OnnxTensor tensor : inputs.values()) {
          tensor.close();
        }
      }
    } catch (OrtException e) {
      throw new InferenceException("Cannot prepare a model run: " + e.getMessage(), e);
    }
  }
}
