package dev.nlpstreams.metrics;

import dev.nlpstreams.text.task.ModelRun;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The application's own meters, by name, in one place. Callers record facts as they happen; the
 * registry (Prometheus in the app, a simple registry in tests) decides how they are exported.
 *
 * <p>Names use Micrometer's dotted convention; the Prometheus registry renders {@code
 * nlp.records.in} as {@code nlp_records_in_total}, {@code nlp.inference.latency} as {@code
 * nlp_inference_latency_seconds_bucket/_count/_sum}, and so on. Tag values are never null
 * ({@link #UNKNOWN} stands in), because Micrometer refuses null tags.
 *
 * <p>Thread-safe: stream threads and inference threads may call every method concurrently.
 * Micrometer caches each meter by name and tags, so a call is a map lookup and an atomic add.
 */
public final class NlpMeters {

  /** Counter: records accepted for a task. Tags {@code topic} (input topic), {@code task}. */
  public static final String RECORDS_IN = "nlp.records.in";
  /** Counter: results written. Tags {@code topic} (output topic), {@code task}. */
  public static final String RECORDS_OUT = "nlp.records.out";
  /** Counter: dead letters written. Tags {@code reason} (a ReasonCode name), {@code task}. */
  public static final String DEAD_LETTERS = "nlp.dead.letters";
  /** Summary: rows per model run. Tag {@code model}. */
  public static final String BATCH_SIZE = "nlp.batch.size";
  /** Summary: rows / most rows a run may hold (0..1). Tag {@code model}. */
  public static final String BATCH_FILL = "nlp.batch.fill";
  /** Summary: real tokens / computed (padded) tokens of a run (0..1). Tag {@code model}. */
  public static final String BATCH_PADDING_EFFICIENCY = "nlp.batch.padding.efficiency";
  /** Counter: real (unpadded) input tokens run through a model; its rate is tokens/s. Tag {@code model}. */
  public static final String INFERENCE_TOKENS = "nlp.inference.tokens";
  /** Timer: how long a record waited between arriving and its batch starting. Tag {@code task}. */
  public static final String QUEUE_WAIT = "nlp.queue.wait";
  /** Timer with histogram buckets: one model run. Tags {@code model}, {@code device}. */
  public static final String INFERENCE_LATENCY = "nlp.inference.latency";
  /** Counter: decoder steps of generation (translation, summarization). Tag {@code model}. */
  public static final String GENERATION_STEPS = "nlp.generation.steps";
  /** Gauge, always 1: one per loaded model. Tags {@code task}, {@code model}, {@code version}, {@code device}. */
  public static final String MODEL_INFO = "nlp.model.info";

  /**
   * Timer: one call of a task's buffer processor on a stream thread (process or punctuate). Its
   * max is the longest time our code kept the thread from polling. Tag {@code task}.
   */
  public static final String STREAM_THREAD_BUSY = "nlp.stream.thread.busy";
  /** Timer: one engine batch of a task, failure isolation included. Tag {@code task}. */
  public static final String BATCH_DURATION = "nlp.batch.duration";

  /** Stands in for a tag value that is not known (Micrometer refuses null tag values). */
  public static final String UNKNOWN = "unknown";

  private final MeterRegistry registry;
  private final java.util.concurrent.atomic.AtomicLong longestStreamThreadCall =
      new java.util.concurrent.atomic.AtomicLong();
  private static final int MAX_RECENT_BATCHES = 100_000;
  private final java.util.concurrent.ConcurrentLinkedQueue<Long> recentBatchNanos =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  public NlpMeters(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** Meters that go nowhere (a composite registry with no children), for code run without metrics. */
  public static NlpMeters none() {
    return new NlpMeters(new CompositeMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** One record read from {@code topic} and accepted for {@code task}. */
  public void recordIn(String topic, String task) {
    Counter.builder(RECORDS_IN).description("Records accepted for a task")
        .tags(Tags.of("topic", tag(topic), "task", tag(task))).register(registry).increment();
  }

  /** One result written to {@code topic} for {@code task}. */
  public void recordOut(String topic, String task) {
    Counter.builder(RECORDS_OUT).description("Results written")
        .tags(Tags.of("topic", tag(topic), "task", tag(task))).register(registry).increment();
  }

  /** One dead letter; {@code task} is null when the record failed before it was routed. */
  public void deadLetter(String reason, String task) {
    Counter.builder(DEAD_LETTERS).description("Dead letters written, by reason code")
        .tags(Tags.of("reason", tag(reason), "task", tag(task))).register(registry).increment();
  }

  /**
   * One model run's shape: {@code rows} sequences out of at most {@code maxRows}. Records
   * {@link #BATCH_SIZE} and {@link #BATCH_FILL}.
   */
  public void batch(String model, int rows, int maxRows) {
    DistributionSummary.builder(BATCH_SIZE).description("Rows per model run")
        .tag("model", tag(model)).register(registry).record(rows);
    if (maxRows > 0) {
      DistributionSummary.builder(BATCH_FILL).description("Rows per run / most rows a run may hold")
          .tag("model", tag(model)).register(registry).record(Math.min(1.0, (double) rows / maxRows));
    }
  }

  /**
   * Tokens of one model run: {@code realTokens} (without padding) and {@code computedTokens}
   * (rows x padded length). Records {@link #INFERENCE_TOKENS} and, when {@code computedTokens > 0},
   * {@link #BATCH_PADDING_EFFICIENCY}. Pass {@code computedTokens = 0} when the padded size is not
   * known (the padding efficiency is then left out rather than reported as a perfect 1).
   */
  public void tokens(String model, long realTokens, long computedTokens) {
    Counter.builder(INFERENCE_TOKENS).description("Real (unpadded) tokens run through a model")
        .baseUnit("tokens").tag("model", tag(model)).register(registry).increment(realTokens);
    if (computedTokens > 0) {
      DistributionSummary.builder(BATCH_PADDING_EFFICIENCY)
          .description("Real tokens / computed (padded) tokens of a run")
          .tag("model", tag(model)).register(registry)
          .record(Math.min(1.0, (double) realTokens / computedTokens));
    }
  }

  /** How long one record of {@code task} waited between arriving and its batch starting. */
  public void queueWait(String task, Duration wait) {
    Timer.builder(QUEUE_WAIT).description("Time a record waited for its batch to start")
        .tag("task", tag(task)).register(registry).record(wait.isNegative() ? Duration.ZERO : wait);
  }

  /** How long one model run took on {@code device}; exported with histogram buckets. */
  public void inferenceLatency(String model, String device, long nanos) {
    Timer.builder(INFERENCE_LATENCY).description("Duration of one model run")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(120))
        .tags(Tags.of("model", tag(model), "device", tag(device))).register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Decoder steps one generation run took (every row of a batch shares a step). */
  public void generationSteps(String model, long steps) {
    Counter.builder(GENERATION_STEPS).description("Decoder steps of generation runs")
        .tag("model", tag(model)).register(registry).increment(steps);
  }

  /**
   * One model run as its adapter saw it: rows and fill, real and padded tokens, latency by device,
   * and decoder steps for generation.
   */
  public void modelRun(ModelRun run) {
    batch(run.model(), run.rows(), run.maxRows());
    tokens(run.model(), run.realTokens(), run.computedTokens());
    inferenceLatency(run.model(), run.device(), run.nanos());
    if (run.generationSteps() > 0) {
      generationSteps(run.model(), run.generationSteps());
    }
  }

  /**
   * Time a stream thread spent inside one call of our processors (process or punctuate): its max
   * is the longest stall of polling that our code caused.
   */
  public void streamThreadBusy(String task, long nanos) {
    longestStreamThreadCall.accumulateAndGet(nanos, Math::max);
    Timer.builder(STREAM_THREAD_BUSY)
        .description("Time a stream thread spent in one process or punctuate call of a task")
        .tag("task", tag(task)).register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** How long one engine batch of {@code task} took, isolation of failing records included. */
  public void batchDuration(String task, long nanos) {
    Timer.builder(BATCH_DURATION).description("Duration of one engine batch of a task")
        .tag("task", tag(task)).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    if (recentBatchNanos.size() < MAX_RECENT_BATCHES) {
      recentBatchNanos.add(nanos);
    }
  }

  /**
   * The batch durations recorded since the previous call of this method, oldest first (at most
   * the last {@value #MAX_RECENT_BATCHES}); benchmarks read them per phase.
   */
  public java.util.List<Long> takeBatchNanos() {
    java.util.List<Long> taken = new java.util.ArrayList<>();
    Long next;
    while ((next = recentBatchNanos.poll()) != null) {
      taken.add(next);
    }
    return taken;
  }

  /**
   * The longest stream-thread call recorded since the previous call of this method (benchmarks
   * read it per round; the timer's own max decays over minutes and would mix rounds).
   */
  public long takeLongestStreamThreadCallNanos() {
    return longestStreamThreadCall.getAndSet(0);
  }

  /** Declares a loaded model: a gauge fixed at 1 whose tags say what runs where. */
  public void modelInfo(String task, String model, String version, String device) {
    Gauge.builder(MODEL_INFO, () -> 1).description("A loaded model (always 1; see the tags)")
        .tags(Tags.of("task", tag(task), "model", tag(model), "version", tag(version),
            "device", tag(device)))
        .register(registry);
  }

  private static String tag(String value) {
    return value == null || value.isEmpty() ? UNKNOWN : value;
  }
}
