package dev.nlpstreams.text.task;

/**
 * Facts about one model run, as the adapter that ran it knows them: which model on which device,
 * how many rows of how many it could hold, the real and the computed (padded) tokens, how long it
 * took, and for generation how many decoder steps it took.
 *
 * @param model the model's configured name
 * @param device where it ran ({@code cpu}, {@code cuda:0})
 * @param rows rows in the run
 * @param maxRows the most rows one run may hold (the configured batch size)
 * @param realTokens input tokens without padding
 * @param computedTokens input tokens the model computed, padding included (rows x width of each
 *     encoder run)
 * @param nanos wall time of the run
 * @param generationSteps decoder steps (0 for encoder-only models)
 */
public record ModelRun(String model, String device, int rows, int maxRows, long realTokens,
    long computedTokens, long nanos, long generationSteps) {}
