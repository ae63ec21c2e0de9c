package dev.nlpstreams.streams;

import dev.nlpstreams.metrics.NlpMeters;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.text.batch.FlushPolicy;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the processing topology. Kept apart from lifecycle code so tests run the very same
 * topology in TopologyTestDriver and on a real broker.
 *
 * <pre>
 * input topic -> decode and route (bad input, bad options -> dead letters)
 *   -> NER micro-batch buffer (changelogged store)        -> entities topic
 *   -> translation micro-batch buffer (changelogged store) -> translations topic
 *   -> summary micro-batch buffer (changelogged store)     -> summaries topic
 *   -> embedding micro-batch buffer (changelogged store)   -> embeddings topic
 * every output keyed by event id; per-record failures -> dead letters
 * </pre>
 *
 * <p>Each task has its own buffer and its own inference engine, so a slow task (generation) never
 * holds back a fast one (NER). A task's engine is shared by every stream task of the process and
 * batches records from all partitions together (count, token and deadline triggers).
 */
public final class NlpTopology {

  // Node and store names of the built-in tasks (see BuiltInStages); other tasks' names live in
  // their task modules. Every name is part of the topology's contract: see topology/topology.txt.
  public static final String SOURCE = "text-events";
  public static final String DECODE = "decode-and-route";
  public static final String NER_BATCH = "ner-micro-batch";
  public static final String NER_BUFFER_STORE = "ner-batch-buffer";
  public static final String ENTITIES_SINK = "entities-sink";
  public static final String TRANSLATE_BATCH = "translate-micro-batch";
  public static final String TRANSLATE_BUFFER_STORE = "translate-batch-buffer";
  public static final String TRANSLATIONS_SINK = "translations-sink";
  public static final String SUMMARIZE_BATCH = "summarize-micro-batch";
  public static final String SUMMARIZE_BUFFER_STORE = "summarize-batch-buffer";
  public static final String SUMMARIES_SINK = "summaries-sink";
  public static final String DEAD_LETTER_SINK = "dead-letter-sink";

  private NlpTopology() {}

  /**
   * Settings that shape the topology and every task's stage: what a single task needs (NER's
   * aggregation, translation's default target language, ...) is read by its task module from its
   * own configuration block and given to its stage, not carried here.
   *
   * @param generationLimits bounds on what a record's options may ask of generation (translation
   *     and summaries)
   * @param encoderRunTimeoutMs the deadline of one encoder-only model run (NER, embeddings)
   * @param generationRunTimeoutMs the deadline of one generation run
   */
  public record Settings(String applicationId, Topics topics, Set<Task> tasks, int maxTextChars,
      FlushPolicy flushPolicy, int deadLetterMaxValueBytes, GenerationLimits generationLimits,
      long encoderRunTimeoutMs, long generationRunTimeoutMs, int maxRecordBytes) {

    /** Kafka's default max.request.size less room for record and batch overhead. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 1_048_576 - 1_024;

    public Settings {
      tasks = Set.copyOf(new LinkedHashSet<>(tasks));
    }

    /** NER only, with the default limits. */
    public Settings(String applicationId, Topics topics, int maxTextChars,
        FlushPolicy flushPolicy, int deadLetterMaxValueBytes) {
      this(applicationId, topics, Set.of(Task.NER), maxTextChars, flushPolicy,
          deadLetterMaxValueBytes, GenerationLimits.defaults(), 5_000, 60_000,
          DEFAULT_MAX_RECORD_BYTES);
    }
  }

  /**
   * The topology of {@code stages}, one per task in {@code settings.tasks()}; its tasks' batches
   * run in {@code inference}, which the caller owns and closes after Kafka Streams has stopped.
   *
   * <p>Stages are added in task order (the order of the Task enum), whatever order they come
   * in, so the topology's shape (node and store names, which decide whether an upgrade restores
   * old state) never depends on the order of nlp.tasks or of a module list.
   */
  public static Topology build(Settings settings, List<TaskStage> stages, TopologyIo io,
      InferenceEngines inference, NlpMeters meters) {
    RecordSizeLimit sizeLimit = new RecordSizeLimit(settings.maxRecordBytes(), io.output());
    Topics topics = settings.topics();
    DeadLetters deadLetters = new DeadLetters(settings.applicationId(), DEAD_LETTER_SINK,
        settings.deadLetterMaxValueBytes(), settings.maxRecordBytes(), meters);

    Map<Task, TaskStage> byTask = new EnumMap<>(Task.class);
    for (TaskStage stage : stages) {
      if (!settings.tasks().contains(stage.task())) {
        throw new IllegalArgumentException("A stage for " + stage.task()
            + ", which is not among the topology's tasks " + settings.tasks());
      }
      if (byTask.put(stage.task(), stage) != null) {
        throw new IllegalArgumentException("Two stages for " + stage.task());
      }
    }
    if (!byTask.keySet().equals(settings.tasks())) {
      throw new IllegalArgumentException("The topology's tasks " + settings.tasks()
          + " need a stage each; stages were given for " + byTask.keySet());
    }

    // One batch task and one engine per task for the whole process: every partition's records
    // meet in the same batches.
    Map<Task, String> batchNodes = new EnumMap<>(Task.class);
    Map<Task, Function<dev.nlpstreams.schema.avro.TextEvent, PlanOutcome>> planners =
        new EnumMap<>(Task.class);
    byTask.forEach((task, stage) -> {
      batchNodes.put(task, stage.batchNode());
      planners.put(task, stage.batchTask()::plan);
    });

    Topology topology = new Topology();
    topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
        topics.input());
    topology.addProcessor(DECODE, () -> new EventDecodeProcessor(io.input(), batchNodes,
        settings.maxTextChars(), deadLetters, planners, meters), SOURCE);

    List<String> deadLetterParents = new ArrayList<>(List.of(DECODE));
    for (TaskStage stage : byTask.values()) {
      addBatchStage(topology, stage.batchNode(), stage.bufferStore(), stage.sinkNode(),
          topics.output(stage.task()), io, sizeLimit, deadLetters, meters,
          inference.engine(stage.task(), stage.batchTask(), settings.flushPolicy(), meters));
      deadLetterParents.add(stage.batchNode());
    }
    topology.addSink(DEAD_LETTER_SINK, topics.deadLetters(), new ByteArraySerializer(),
        io.output(), deadLetterParents.toArray(String[]::new));
    return topology;
  }
  private static void addBatchStage(Topology topology, String node, String store, String sink,
      String topic, TopologyIo io, RecordSizeLimit sizeLimit, DeadLetters deadLetters,
      NlpMeters meters, InferenceEngine engine) {
    StoreBuilder<?> buffer = Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(store), Serdes.Long(), Serdes.ByteArray())
        .withLoggingEnabled(Map.of())
        // Kafka Streams flushes the cache to the changelog at the latest when it commits, before
        // the input offsets, so a record forwarded and deleted in between costs the changelog a
        // tombstone instead of a copy of its event, and process() hands the producer nothing.
        .withCachingEnabled();
    topology.addProcessor(node,
        () -> new MicroBatchProcessor(store, engine, topic, deadLetters, sizeLimit, meters),
        DECODE);
    topology.addStateStore(buffer, node);
    // The batch stage serializes each result itself (to check its size), so the sink gets bytes.
    topology.addSink(sink, topic, new StringSerializer(), new ByteArraySerializer(), node);
  }
}
