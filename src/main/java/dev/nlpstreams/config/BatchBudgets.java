package dev.nlpstreams.config;

/**
 * How much work is gathered and run at once, per device: a micro-batch (records and tokens the
 * engine gathers before it runs them) and a model run (rows and padded tokens in one session
 * call; a batch is cut into runs by length buckets).
 *
 * <p>Two CPU cores are saturated by a run of a few thousand tokens, and larger batches only add
 * latency; a GPU is mostly idle at that size and wants an order of magnitude more rows per run to
 * amortise kernel launches and weight reads. The GPU figures are starting points for a 16-24 GB
 * card and BERT-base to BART-base sized models; measure with the benchmarks and set the four
 * settings explicitly for other cards or larger models.
 *
 * @param batchMaxRecords records in one micro-batch ({@code nlp.batch.max.records})
 * @param batchMaxTokens tokens in one micro-batch ({@code nlp.batch.max.tokens})
 * @param runMaxRows rows in one model run ({@code nlp.inference.max.batch.size})
 * @param runMaxTokens padded tokens in one model run ({@code nlp.inference.max.batch.tokens})
 */
public record BatchBudgets(int batchMaxRecords, int batchMaxTokens, int runMaxRows,
    int runMaxTokens) {

  /** Two to a few dozen CPU cores. */
  public static final BatchBudgets CPU = new BatchBudgets(32, 8_192, 32, 4_096);
  /** One CUDA device. */
  public static final BatchBudgets GPU = new BatchBudgets(256, 65_536, 128, 32_768);

  public BatchBudgets {
    if (batchMaxRecords < 1 || batchMaxTokens < 1 || runMaxRows < 1 || runMaxTokens < 1) {
      throw new IllegalArgumentException("Every budget must be at least 1: " + batchMaxRecords
          + ", " + batchMaxTokens + ", " + runMaxRows + ", " + runMaxTokens);
    }
  }

  /** The defaults for a device as a model reports it ({@code cpu}, {@code cuda:0}). */
  public static BatchBudgets forDevice(String device) {
    return device != null && device.startsWith("cuda") ? GPU : CPU;
  }

  /** These budgets with every explicitly configured value (non-null) put in place. */
  public BatchBudgets overriddenBy(Integer records, Integer tokens, Integer rows,
      Integer runTokens) {
    return new BatchBudgets(records != null ? records : batchMaxRecords,
        tokens != null ? tokens : batchMaxTokens, rows != null ? rows : runMaxRows,
        runTokens != null ? runTokens : runMaxTokens);
  }
}
