package dev.nlpstreams.config;

import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.text.ner.AggregationStrategy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The application's configuration. Our settings are prefixed {@code nlp.}; every other key is a Kafka
 * Streams / client setting and passes through unchanged. Values come from an optional defaults
 * file (a container image's), a properties file, then environment variables
 * ({@code NLP_STREAMS_BATCH_MAX_RECORDS=64} sets {@code nlp.batch.max.records};
 * {@code KAFKA_BOOTSTRAP_SERVERS} sets {@code bootstrap.servers}), then explicit overrides.
 *
 * <p>Each task's settings (model, output topic, options) and checks come from its
 * {@link TaskConfigBlock} in {@link TaskConfigBlocks#ALL}; this class holds what all tasks share.
 */
public final class NlpStreamsConfig extends AbstractConfig {

  public static final String INPUT_TOPIC = "nlp.input.topic";
  public static final String DEAD_LETTER_TOPIC = "nlp.dead.letter.topic";
  public static final String INPUT_MAX_TEXT_CHARS = "nlp.input.max.text.chars";
  public static final String DEAD_LETTER_MAX_VALUE_BYTES = "nlp.dead.letter.max.value.bytes";

  public static final String TASKS = "nlp.tasks";

  // Aliases of the task blocks' settings, kept because much code and many tests name them here;
  // a new task's settings live in its block only (see TaskConfigBlocks).
  public static final String ENTITIES_TOPIC = NerConfig.TOPIC;
  public static final String NER_MODEL = NerConfig.MODEL;
  public static final String NER_AGGREGATION_STRATEGY = NerConfig.AGGREGATION_STRATEGY;
  public static final String NER_WINDOW_STRIDE = NerConfig.WINDOW_STRIDE;
  public static final String NER_MAX_LENGTH = NerConfig.MAX_LENGTH;

  public static final String TRANSLATIONS_TOPIC = TranslationConfig.TOPIC;
  public static final String TRANSLATION_MODELS = TranslationConfig.MODELS;
  public static final String TRANSLATION_DEFAULT_TARGET = TranslationConfig.DEFAULT_TARGET;
  public static final String TRANSLATION_DETECT_LANGUAGE = TranslationConfig.DETECT_LANGUAGE;
  public static final String TRANSLATION_NUM_BEAMS = TranslationConfig.NUM_BEAMS;
  public static final String TRANSLATION_MAX_NEW_TOKENS = TranslationConfig.MAX_NEW_TOKENS;

  public static final String SUMMARIES_TOPIC = SummarizationConfig.TOPIC;
  public static final String SUMMARIZATION_MODELS = SummarizationConfig.MODELS;
  public static final String SUMMARIZATION_NUM_BEAMS = SummarizationConfig.NUM_BEAMS;
  public static final String SUMMARIZATION_MAX_NEW_TOKENS = SummarizationConfig.MAX_NEW_TOKENS;
  public static final String SUMMARIZATION_MIN_LENGTH = SummarizationConfig.MIN_LENGTH;
  public static final String SUMMARIZATION_MAX_ROUNDS = SummarizationConfig.MAX_ROUNDS;

  public static final String GENERATION_MAX_CHUNKS = "nlp.generation.max.chunks";
  public static final String GENERATION_RUN_TIMEOUT_MS = "nlp.generation.run.timeout.ms";
  public static final String GENERATION_MAX_NUM_BEAMS = "nlp.generation.max.num.beams";
  public static final String GENERATION_MAX_NEW_TOKENS_LIMIT = "nlp.generation.max.new.tokens.limit";

  public static final String BATCH_MAX_RECORDS = "nlp.batch.max.records";
  public static final String BATCH_MAX_TOKENS = "nlp.batch.max.tokens";
  public static final String BATCH_MAX_WAIT_MS = "nlp.batch.max.wait.ms";

  public static final String INFERENCE_DEVICE = "nlp.inference.device";
  public static final String INFERENCE_INTRA_OP_THREADS = "nlp.inference.intra.op.threads";
  public static final String INFERENCE_INTER_OP_THREADS = "nlp.inference.inter.op.threads";
  public static final String INFERENCE_OPTIMIZATION_LEVEL = "nlp.inference.optimization.level";
  public static final String INFERENCE_ALLOW_SPINNING = "nlp.inference.allow.spinning";
  public static final String INFERENCE_CPU_ARENA = "nlp.inference.cpu.arena";
  public static final String INFERENCE_MEMORY_PATTERN = "nlp.inference.memory.pattern";
  /** The producer's linger unless linger.ms or producer.linger.ms is set. */
  public static final String DEFAULT_LINGER_MS = "5";
  /** Kafka Streams' poll.ms unless the user sets it. */
  public static final String DEFAULT_POLL_MS = "10";
  public static final String INFERENCE_RUN_TIMEOUT_MS = "nlp.inference.run.timeout.ms";
  public static final String INFERENCE_MAX_BATCH_SIZE = "nlp.inference.max.batch.size";
  public static final String INFERENCE_MAX_BATCH_TOKENS = "nlp.inference.max.batch.tokens";
  public static final String INFERENCE_THREADS_PER_TASK = "nlp.inference.threads.per.task";
  public static final String BACKPRESSURE_MAX_RECORDS = "nlp.backpressure.max.records";

  public static final String MAX_RECORD_BYTES = "nlp.max.record.bytes";
  public static final String SHUTDOWN_TIMEOUT_MS = "nlp.shutdown.timeout.ms";
  public static final String LEAVE_GROUP_ON_CLOSE = "nlp.leave.group.on.close";

  public static final String BUNDLED_NER_MODEL = NerConfig.BUNDLED_MODEL;
  public static final String DEFAULT_TRANSLATION_MODELS = TranslationConfig.DEFAULT_MODELS;
  public static final String DEFAULT_SUMMARIZATION_MODELS = SummarizationConfig.DEFAULT_MODELS;

  /** Environment variables with this prefix set {@code nlp.*} keys. */
  public static final String ENV_PREFIX = "NLP_STREAMS_";
  /** Environment variables with this prefix set Kafka keys. */
  public static final String KAFKA_ENV_PREFIX = "KAFKA_";

  /** The group of the topic settings, task blocks' output topics among them. */
  static final String GROUP_TOPICS = "Topics";
  private static final String GROUP_GENERATION = "Generation limits";
  private static final String GROUP_BATCH = "Micro-batching";
  private static final String GROUP_INFERENCE = "Inference";

  // --- Deployment (issue 11): the admin endpoint. Keep this block together. ---
  public static final String ADMIN_ENABLED = "nlp.admin.enabled";
  public static final String ADMIN_HOST = "nlp.admin.host";
  public static final String ADMIN_PORT = "nlp.admin.port";
  private static final String GROUP_ADMIN = "Admin endpoint";

  public static final ConfigDef CONFIG_DEF = withTaskBlocks(new ConfigDef()
      .define(INPUT_TOPIC, Type.STRING, "text-events", new ConfigDef.NonEmptyString(),
          Importance.HIGH, "Topic of TextEvent records to process.",
          GROUP_TOPICS, 1, ConfigDef.Width.MEDIUM, "Input topic")
      .define(DEAD_LETTER_TOPIC, Type.STRING, "nlp-dead-letters", new ConfigDef.NonEmptyString(),
          Importance.HIGH,
          "Topic that receives a DeadLetter record (reason code, source coordinates, original bytes)"
              + " for every input that cannot be processed.",
          GROUP_TOPICS, 3, ConfigDef.Width.MEDIUM, "Dead-letter topic")
      .define(TASKS, Type.LIST, "ner,translate,summarize",
          ConfigDef.ValidList.in(TaskConfigBlocks.names().toArray(String[]::new)), Importance.HIGH,
          "Tasks this processor runs. An event that lists no tasks gets all of them; an event that"
              + " asks for one not listed here is dead-lettered with reason UNSUPPORTED_TASK.",
          GROUP_TOPICS, 8, ConfigDef.Width.MEDIUM, "Tasks")
      .define(INPUT_MAX_TEXT_CHARS, Type.INT, 100_000, Range.atLeast(1), Importance.MEDIUM,
          "Longest text accepted, in UTF-16 characters. Longer texts are dead-lettered with reason"
              + " TEXT_TOO_LARGE instead of occupying the model for minutes.",
          GROUP_TOPICS, 4, ConfigDef.Width.SHORT, "Max text length")
      .define(DEAD_LETTER_MAX_VALUE_BYTES, Type.INT, 900_000, Range.atLeast(0), Importance.LOW,
          "Most bytes of the original value copied into a dead letter, so that a dead letter always"
              + " fits the dead-letter topic's max.message.bytes; fewer when the letter would"
              + " otherwise exceed nlp.max.record.bytes (a large key leaves less room). The full"
              + " record stays replayable from its source coordinates.",
          GROUP_TOPICS, 5, ConfigDef.Width.SHORT, "Dead-letter value bytes")
      .define(GENERATION_MAX_CHUNKS, Type.INT, 256, Range.between(1, 100_000), Importance.MEDIUM,
          "Most chunks one text is cut into (translation: sentences, or word windows of a sentence"
              + " longer than the model reads; summarization: groups of sentences that fit the"
              + " model); text beyond is left out and the output says truncated=true.",
          GROUP_GENERATION, 1, ConfigDef.Width.SHORT, "Max chunks")
      .define(GENERATION_RUN_TIMEOUT_MS, Type.LONG, 60_000L, Range.atLeast(1), Importance.MEDIUM,
          "Deadline of one translation or summary run: the encoder and the whole search of one"
              + " length bucket (up to nlp.inference.max.batch.size texts). Generation takes many"
              + " decoder steps, so it gets its own, longer deadline than"
              + " nlp.inference.run.timeout.ms. Runs happen on inference threads, so the deadline"
              + " is not bound by max.poll.interval.ms or transaction.timeout.ms.",
          GROUP_GENERATION, 4, ConfigDef.Width.SHORT, "Generation run timeout")
      .define(GENERATION_MAX_NUM_BEAMS, Type.INT, 8, Range.between(1, 64), Importance.LOW,
          "Largest num_beams a record may ask for; larger requests are dead-lettered with reason"
              + " UNSUPPORTED_OPTION (beams multiply the decoder's work).",
          GROUP_GENERATION, 2, ConfigDef.Width.SHORT, "Max beams per record")
      .define(GENERATION_MAX_NEW_TOKENS_LIMIT, Type.INT, 512, Range.between(1, 100_000),
          Importance.LOW,
          "Largest max_new_tokens a record may ask for; larger requests are dead-lettered with"
              + " reason UNSUPPORTED_OPTION.",
          GROUP_GENERATION, 3, ConfigDef.Width.SHORT, "Max new tokens per record")
      .define(BATCH_MAX_RECORDS, Type.INT, null, nullableBetween(1, 100_000), Importance.HIGH,
          "A micro-batch runs when it holds this many records (gathered across all partitions)."
              + " Empty: by device, 32 on CPU, 256 on CUDA.",
          GROUP_BATCH, 1, ConfigDef.Width.SHORT, "Max records")
      .define(BATCH_MAX_TOKENS, Type.INT, null, deviceDefaultOrAtLeast(1), Importance.HIGH,
          "A micro-batch runs when its records hold this many tokens. Empty: by device, 8192 on"
              + " CPU, 65536 on CUDA.",
          GROUP_BATCH, 2, ConfigDef.Width.SHORT, "Max tokens")
      .define(BATCH_MAX_WAIT_MS, Type.LONG, 100L, Range.atLeast(0), Importance.HIGH,
          "A micro-batch runs when its oldest record has waited this long (wall clock), so a quiet"
              + " partition never holds records back. Under load a batch does not wait for it: an"
              + " inference thread that finishes a batch starts the next at once when half a batch"
              + " waits, or records that take half this long to run.",
          GROUP_BATCH, 3, ConfigDef.Width.SHORT, "Max wait")
      .define(INFERENCE_DEVICE, Type.STRING, "auto", deviceValidator(), Importance.HIGH,
          "auto (CUDA when available, otherwise CPU with one log line), cpu, or cuda[:N] (fails at"
              + " start-up when CUDA cannot be used; needs the build with -Pcuda).",
          GROUP_INFERENCE, 1, ConfigDef.Width.SHORT, "Device")
      .define(INFERENCE_INTRA_OP_THREADS, Type.INT, 0, Range.atLeast(0), Importance.MEDIUM,
          "ONNX Runtime intra-op threads per session; 0 divides the available cores by"
              + " nlp.inference.threads.per.task (the most runs of one model at once). Stream"
              + " threads never run models, so they do not count; tasks whose runs overlap share"
              + " the cores.",
          GROUP_INFERENCE, 2, ConfigDef.Width.SHORT, "Intra-op threads")
      .define(INFERENCE_INTER_OP_THREADS, Type.INT, 1, Range.atLeast(1), Importance.LOW,
          "ONNX Runtime inter-op threads per session.",
          GROUP_INFERENCE, 3, ConfigDef.Width.SHORT, "Inter-op threads")
      .define(INFERENCE_OPTIMIZATION_LEVEL, Type.STRING, "all",
          ConfigDef.ValidString.in("none", "basic", "extended", "all"), Importance.LOW,
          "ONNX Runtime graph optimization level.",
          GROUP_INFERENCE, 4, ConfigDef.Width.SHORT, "Optimization level")
      .define(INFERENCE_ALLOW_SPINNING, Type.BOOLEAN, false, Importance.LOW,
          "Whether ONNX Runtime's pool threads spin-wait between operators"
              + " (session.intra_op.allow_spinning and session.inter_op.allow_spinning). Off by"
              + " default: spinning keeps cores busy that the stream threads and Kafka clients"
              + " need when they share the machine with the models (on 2 cores it cost about 15%"
              + " of end-to-end NER throughput). Turn it on for a machine dedicated to inference.",
          GROUP_INFERENCE, 4, ConfigDef.Width.SHORT, "Allow spinning")
      .define(INFERENCE_CPU_ARENA, Type.STRING, "auto",
          ConfigDef.ValidString.in("auto", "true", "false"), Importance.LOW,
          "Whether ONNX Runtime takes CPU memory from its arena allocator. auto: yes for"
              + " encoder models (NER, embeddings), no for seq2seq models (translation,"
              + " summaries), whose key/value caches grow by a step at a time and fragment the"
              + " arena: with the bench-size Marian model resident memory grew by about 30 MB/s"
              + " with it and stayed flat without it. Its speed: session 7's bench reports put"
              + " the arena at 13% of greedy and 28% of beam-4 tokens/s; an alternating A/B in"
              + " one sitting (session 8) put greedy within the machine's run-to-run noise and"
              + " beam 4 about 10% faster with it. `bench session` measures the choice.",
          GROUP_INFERENCE, 4, ConfigDef.Width.SHORT, "CPU arena")
      .define(INFERENCE_MEMORY_PATTERN, Type.BOOLEAN, false, Importance.LOW,
          "Whether ONNX Runtime plans a run's buffers from the previous run of the same input"
              + " shapes (its own default is on). Off by default: generation changes the shapes"
              + " at every decoder step, and `bench session` measured greedy translation 1.13x"
              + " faster without it, NER unchanged (0.98, within noise).",
          GROUP_INFERENCE, 4, ConfigDef.Width.SHORT, "Memory pattern")
      .define(INFERENCE_RUN_TIMEOUT_MS, Type.LONG, 5_000L, Range.atLeast(1), Importance.MEDIUM,
          "Deadline of one model run. A run past it is cancelled and the batch is split (halves"
              + " get half the deadline) to find the record that caused it, which is dead-lettered"
              + " with reason INFERENCE_TIMEOUT.",
          GROUP_INFERENCE, 5, ConfigDef.Width.SHORT, "Run timeout")
      .define(INFERENCE_MAX_BATCH_SIZE, Type.INT, null, deviceDefaultOrAtLeast(1),
          Importance.MEDIUM,
          "Most sequences in one model run; a micro-batch is cut into runs by length buckets."
              + " Empty: by the device the model runs on, 32 on CPU, 128 on CUDA.",
          GROUP_INFERENCE, 6, ConfigDef.Width.SHORT, "Max run batch size")
      .define(INFERENCE_MAX_BATCH_TOKENS, Type.INT, null, deviceDefaultOrAtLeast(1),
          Importance.MEDIUM,
          "Most padded tokens (rows x longest row) in one model run. Empty: by the device the"
              + " model runs on, 4096 on CPU, 32768 on CUDA.",
          GROUP_INFERENCE, 7, ConfigDef.Width.SHORT, "Max run tokens")
      .define(INFERENCE_THREADS_PER_TASK, Type.INT, 1, Range.between(1, 64), Importance.LOW,
          "Inference threads per task (NER, translation, summarization). Flushes run on these"
              + " threads, never on a stream thread, so a long model run cannot hold up polling"
              + " or a transaction; each task has its own threads, so generation never holds"
              + " back NER.",
          GROUP_INFERENCE, 8, ConfigDef.Width.SHORT, "Inference threads per task")
      .define(BACKPRESSURE_MAX_RECORDS, Type.INT, 5_000, Range.atLeast(1), Importance.MEDIUM,
          "Most records handed to inference and not yet finished, across all tasks. Above it the"
              + " Kafka Streams client is paused (its threads keep polling and committing, so no"
              + " consumer leaves the group and nothing is dropped) until inference has worked the"
              + " backlog down to half. Pausing holds back every task, so keep it well above one"
              + " burst of generation records.",
          GROUP_BATCH, 4, ConfigDef.Width.SHORT, "Back-pressure bound")
      .define(MAX_RECORD_BYTES, Type.INT, null, nullableAtLeast(1_024), Importance.LOW,
          "Largest record (key + value bytes) the processor writes to a buffer changelog or an"
              + " output topic; a record that would be larger is dead-lettered with reason"
              + " RECORD_TOO_LARGE instead of failing the producer (which Kafka Streams would retry"
              + " forever). Empty: the producer's max.request.size (default 1 MiB) less 1 KiB for"
              + " record overhead. It may not exceed max.request.size.",
          GROUP_TOPICS, 9, ConfigDef.Width.SHORT, "Max record bytes")
      .define(SHUTDOWN_TIMEOUT_MS, Type.LONG, 30_000L, Range.atLeast(1_000), Importance.MEDIUM,
          "How long a clean shutdown (SIGTERM) may take in all: Kafka Streams commits and closes,"
              + " then running model runs are stopped and awaited; a model is never closed under a"
              + " running inference. Give a container's termination grace period more than this.",
          GROUP_INFERENCE, 9, ConfigDef.Width.SHORT, "Shutdown timeout")
      .define(LEAVE_GROUP_ON_CLOSE, Type.BOOLEAN, true, Importance.LOW,
          "Whether a clean shutdown leaves the consumer group, so that the remaining or restarted"
              + " instances take the partitions over at once instead of after session.timeout.ms"
              + " (Kafka Streams' own default is to stay). Ignored with static membership"
              + " (group.instance.id set): a restart within session.timeout.ms then keeps its"
              + " partitions without a rebalance.",
          GROUP_INFERENCE, 10, ConfigDef.Width.SHORT, "Leave group on close")
      // Wire formats (issue 10); Confluent-named registry settings are pass-through keys read by
      // dev.nlpstreams.schema.registry.RegistrySettings.
      .define(NlpStreamsConfig.OUTPUT_FRAMING, Type.STRING, "auto",
          ConfigDef.ValidString.in("auto", "confluent", "single-object"), Importance.MEDIUM,
          "Framing of results and dead letters: confluent (magic byte 0 + schema registry id,"
              + " needs schema.registry.url), single-object (Avro single-object encoding, no"
              + " registry), or auto (confluent when schema.registry.url is set). Input is read"
              + " in either framing whatever this says.",
          "Wire formats", 1, ConfigDef.Width.SHORT, "Output framing")
      .define(NlpStreamsConfig.INPUT_FORMAT, Type.STRING, "text-event",
          ConfigDef.ValidString.in("text-event", "mapped"), Importance.MEDIUM,
          "text-event: values are our TextEvent (single-object encoding or Confluent framing)."
              + " mapped: values are your own events, JSON objects or Confluent-framed Avro"
              + " records of any schema (writer schema from the registry), read by the"
              + " nlp.input.field.* paths; our TextEvent is still accepted.",
          "Wire formats", 2, ConfigDef.Width.SHORT, "Input format")
      .define(NlpStreamsConfig.INPUT_FIELD_TEXT, Type.STRING, "text", Importance.MEDIUM,
          "mapped input: dotted path of the text (for example payload.body). A missing, null or"
              + " non-string text is dead-lettered with reason MISSING_TEXT.",
          "Wire formats", 3, ConfigDef.Width.MEDIUM, "Text field")
      .define(NlpStreamsConfig.INPUT_FIELD_EVENT_ID, Type.STRING, "", Importance.MEDIUM,
          "mapped input: dotted path of the event id; empty to use the record key.",
          "Wire formats", 4, ConfigDef.Width.MEDIUM, "Event id field")
      .define(NlpStreamsConfig.INPUT_FIELD_LANGUAGE, Type.STRING, "", Importance.LOW,
          "mapped input: dotted path of the text's language code; empty when events have none.",
          "Wire formats", 5, ConfigDef.Width.MEDIUM, "Language field")
      .define(NlpStreamsConfig.INPUT_FIELD_TASKS, Type.STRING, "", Importance.LOW,
          "mapped input: dotted path of the requested tasks (an array, or a comma-separated"
              + " string, of ner/translate/summarize); empty for every configured task.",
          "Wire formats", 6, ConfigDef.Width.MEDIUM, "Tasks field")
      .define(NlpStreamsConfig.INPUT_FIELD_TARGET_LANGUAGE, Type.STRING, "", Importance.LOW,
          "mapped input: dotted path of the translation target language; empty for the default."
              + NlpStreamsConfig.OPTION_TYPE_RULE,
          "Wire formats", 7, ConfigDef.Width.MEDIUM, "Target language field")
      .define(NlpStreamsConfig.INPUT_FIELD_AGGREGATION_STRATEGY, Type.STRING, "", Importance.LOW,
          "mapped input: dotted path of the NER aggregation strategy; empty for the default."
              + NlpStreamsConfig.OPTION_TYPE_RULE,
          "Wire formats", 8, ConfigDef.Width.MEDIUM, "Aggregation strategy field")
      .define(NlpStreamsConfig.INPUT_FIELD_NER_MODEL, Type.STRING, "", Importance.LOW,
          "mapped input: dotted path of the NER model name; empty for the default."
              + NlpStreamsConfig.OPTION_TYPE_RULE,
          "Wire formats", 9, ConfigDef.Width.MEDIUM, "NER model field")
      .define(NlpStreamsConfig.INPUT_FIELD_TRANSLATION_MODEL, Type.STRING, "", Importance.LOW,
          "mapped input: dotted path of the translation model name; empty for the default."
              + NlpStreamsConfig.OPTION_TYPE_RULE,
          "Wire formats", 10, ConfigDef.Width.MEDIUM, "Translation model field")
      .define(NlpStreamsConfig.INPUT_FIELD_TRANSLATION_NUM_BEAMS, Type.STRING, "", Importance.LOW,
          "mapped input: dotted path of the translation num_beams (an int); empty for the default."
              + NlpStreamsConfig.OPTION_TYPE_RULE,
          "Wire formats", 11, ConfigDef.Width.MEDIUM, "Translation beams field")
      .define(NlpStreamsConfig.INPUT_FIELD_TRANSLATION_MAX_NEW_TOKENS, Type.STRING, "", Importance.LOW,
          "mapped input: dotted path of the translation max_new_tokens (an int); empty for the default."
              + NlpStreamsConfig.OPTION_TYPE_RULE,
          "Wire formats", 12, ConfigDef.Width.MEDIUM, "Translation max tokens field")
      .define(NlpStreamsConfig.INPUT_FIELD_SUMMARY_MODEL, Type.STRING, "", Importance.LOW,
          "mapped input: dotted path of the summarization model name; empty for the default."
              + NlpStreamsConfig.OPTION_TYPE_RULE,
          "Wire formats", 13, ConfigDef.Width.MEDIUM, "Summary model field")
      .define(NlpStreamsConfig.INPUT_FIELD_SUMMARY_NUM_BEAMS, Type.STRING, "", Importance.LOW,
          "mapped input: dotted path of the summary num_beams (an int); empty for the default."
              + NlpStreamsConfig.OPTION_TYPE_RULE,
          "Wire formats", 14, ConfigDef.Width.MEDIUM, "Summary beams field")
      .define(NlpStreamsConfig.INPUT_FIELD_SUMMARY_MAX_NEW_TOKENS, Type.STRING, "", Importance.LOW,
          "mapped input: dotted path of the summary max_new_tokens (an int); empty for the default."
              + NlpStreamsConfig.OPTION_TYPE_RULE,
          "Wire formats", 15, ConfigDef.Width.MEDIUM, "Summary max tokens field")
      .define(NlpStreamsConfig.INPUT_FIELD_SUMMARY_MIN_LENGTH, Type.STRING, "", Importance.LOW,
          "mapped input: dotted path of the summary min_length (an int); empty for the default."
              + NlpStreamsConfig.OPTION_TYPE_RULE,
          "Wire formats", 16, ConfigDef.Width.MEDIUM, "Summary min length field")
      .define(NlpStreamsConfig.OUTPUT_MODE, Type.STRING, "results",
          ConfigDef.ValidString.in("results", "enriched"), Importance.MEDIUM,
          "results: each task writes its own contract (Entities, Translation, Summary,"
              + " Embedding). enriched: each task writes the input record itself with one added"
              + " optional field (nlp_entities, nlp_translation, nlp_summary or nlp_embedding;"
              + " Avro: the writer schema plus that field, registered under the output topic's subject; JSON: the same shape)."
              + " Dead letters are always DeadLetter records. enriched is written by the built-in"
              + " writers, so it is refused together with nlp.serde.value.serializer.",
          "Wire formats", 17, ConfigDef.Width.SHORT, "Output mode")
      .define(NlpStreamsConfig.SERDE_VALUE_DESERIALIZER, Type.STRING, "", Importance.LOW,
          "Class name of a Kafka Deserializer for input values that replaces the built-in wire"
              + " formats, for example Confluent's io.confluent.kafka.serializers."
              + "KafkaAvroDeserializer; configured with every non-nlp setting. A TextEvent it"
              + " returns is used as is; anything else (GenericRecord, Map, JSON) is read by the"
              + " nlp.input.field.* paths. Empty: built in.",
          "Wire formats", 18, ConfigDef.Width.LONG, "Value deserializer")
      .define(NlpStreamsConfig.SERDE_VALUE_SERIALIZER, Type.STRING, "", Importance.LOW,
          "Class name of a Kafka Serializer for results and dead letters (it receives the Avro"
              + " records), for example Confluent's io.confluent.kafka.serializers."
              + "KafkaAvroSerializer; configured with every non-nlp setting. Empty: built in.",
          "Wire formats", 19, ConfigDef.Width.LONG, "Value serializer")
      // --- Deployment (issue 11): the admin endpoint. Keep this block together. ---
      .define(ADMIN_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM,
          "Serve the admin HTTP endpoint while the processor runs (the run command):"
              + " /health/live, /health/ready and /metrics (Prometheus text format).",
          GROUP_ADMIN, 1, ConfigDef.Width.SHORT, "Admin endpoint")
      .define(ADMIN_HOST, Type.STRING, "127.0.0.1", new ConfigDef.NonEmptyString(),
          Importance.MEDIUM,
          "Address the admin endpoint binds to. The loopback default keeps metrics private on a"
              + " shared host; containers set 0.0.0.0 so probes and scrapers can reach it.",
          GROUP_ADMIN, 2, ConfigDef.Width.MEDIUM, "Admin host")
      .define(ADMIN_PORT, Type.INT, 0, Range.between(0, 65_535), Importance.MEDIUM,
          "Port of the admin endpoint; 0 (the default) picks a free port and logs it, so several"
              + " processors can run on one host. The container images set 8080, which the"
              + " compose file and the Kubernetes probes use.",
          GROUP_ADMIN, 3, ConfigDef.Width.SHORT, "Admin port"));

  /** Every task block's settings: a task's settings come from its block, not from this class. */
  private static ConfigDef withTaskBlocks(ConfigDef def) {
    for (TaskConfigBlock block : TaskConfigBlocks.ALL) {
      block.define(def);
    }
    return def;
  }

  private final Map<String, Object> passThrough;

  private NlpStreamsConfig(Map<String, Object> all) {
    super(CONFIG_DEF, ownKeys(all), false);
    this.passThrough = kafkaKeys(all);
    crossCheck();
  }

  /** Builds from already-merged properties (file, environment and overrides applied). */
  public static NlpStreamsConfig of(Map<String, ?> properties) {
    return new NlpStreamsConfig(new HashMap<>(properties));
  }

  /**
   * JVM system property naming a properties file of defaults below every other source: how a
   * container image sets its own defaults (admin address, state directory, device) without
   * environment variables, which would override the operator's {@code --config} file.
   */
  public static final String DEFAULTS_FILE_PROPERTY = "nlp-streams.defaults";

  /**
   * Loads a properties file (optional), applies environment overrides, then explicit overrides.
   */
  public static NlpStreamsConfig load(Path propertiesFile, Map<String, String> environment,
      Map<String, String> overrides) {
    return load(null, propertiesFile, environment, overrides);
  }

  /**
   * As {@link #load(Path, Map, Map)}, on top of a defaults file (optional; see
   * {@link #DEFAULTS_FILE_PROPERTY}) that every other source overrides.
   */
  public static NlpStreamsConfig load(Path defaultsFile, Path propertiesFile,
      Map<String, String> environment, Map<String, String> overrides) {
    Map<String, Object> merged = new HashMap<>();
    if (defaultsFile != null) {
      merged.putAll(readProperties(defaultsFile, "defaults file"));
    }
    if (propertiesFile != null) {
      merged.putAll(readProperties(propertiesFile, "configuration file"));
    }
    merged.putAll(fromEnvironment(environment));
    merged.putAll(overrides);
    return new NlpStreamsConfig(merged);
  }

  private static Map<String, Object> readProperties(Path path, String what) {
    Properties file = new Properties();
    try (InputStream in = Files.newInputStream(path)) {
      file.load(in);
    } catch (IOException e) {
      throw new ConfigException("Cannot read " + what + " " + path + ": " + e.getMessage());
    }
    Map<String, Object> values = new HashMap<>();
    file.forEach((k, v) -> values.put(k.toString(), v.toString().trim()));
    return values;
  }

  /** Maps NLP_STREAMS_FOO_BAR to nlp.foo.bar and KAFKA_FOO_BAR to foo.bar. */
  static Map<String, String> fromEnvironment(Map<String, String> environment) {
    Map<String, String> result = new HashMap<>();
    environment.forEach((name, value) -> {
      if (name.startsWith(ENV_PREFIX)) {
        result.put("nlp." + dotted(name.substring(ENV_PREFIX.length())), value);
      } else if (name.startsWith(KAFKA_ENV_PREFIX)) {
        result.put(dotted(name.substring(KAFKA_ENV_PREFIX.length())), value);
      }
    });
    return result;
  }

  private static String dotted(String envSuffix) {
    return envSuffix.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  private static Map<String, Object> ownKeys(Map<String, Object> all) {
    Map<String, Object> own = new HashMap<>();
    all.forEach((k, v) -> {
      if (k.startsWith("nlp.")) {
        own.put(k, v);
      }
    });
    for (String key : own.keySet()) {
      if (!CONFIG_DEF.names().contains(key)) {
        throw new ConfigException("Unknown setting '" + key + "'. Known nlp.* settings: "
            + new TreeSet<>(CONFIG_DEF.names()));
      }
    }
    return own;
  }

  private static Map<String, Object> kafkaKeys(Map<String, Object> all) {
    Map<String, Object> kafka = new HashMap<>();
    all.forEach((k, v) -> {
      if (!k.startsWith("nlp.")) {
        kafka.put(k, v);
      }
    });
    return kafka;
  }

  /** Empty (the device's default) or an int in [min, max]. */
  private static ConfigDef.Validator nullableBetween(int min, int max) {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        if (value != null && (((Number) value).intValue() < min
            || ((Number) value).intValue() > max)) {
          throw new ConfigException(name, value, "must be empty (device default) or in [" + min
              + "," + max + "]");
        }
      }

      @Override
      public String toString() {
        return "empty (device default) or [" + min + ",...," + max + "]";
      }
    };
  }

  /** Empty (the device's default) or at least min. */
  private static ConfigDef.Validator deviceDefaultOrAtLeast(int min) {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        if (value != null && ((Number) value).intValue() < min) {
          throw new ConfigException(name, value, "must be empty (device default) or at least "
              + min);
        }
      }

      @Override
      public String toString() {
        return "empty (device default) or [" + min + ",...]";
      }
    };
  }

  static ConfigDef.Validator nullableAtLeast(int min) {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        if (value != null && ((Number) value).intValue() < min) {
          throw new ConfigException(name, value, "must be empty (model default) or at least " + min);
        }
      }

      @Override
      public String toString() {
        return "empty (model default) or [" + min + ",...]";
      }
    };
  }

  private static ConfigDef.Validator deviceValidator() {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        try {
          DeviceSpec.parse((String) value);
        } catch (IllegalArgumentException e) {
          throw new ConfigException(name, value, e.getMessage());
        }
      }

      @Override
      public String toString() {
        return "auto, cpu, cuda, cuda:N";
      }
    };
  }

  /** Refuses combinations that would break Kafka's delivery guarantees at run time. */
  private void crossCheck() {
    Object bootstrap = passThrough.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
    if (bootstrap != null && bootstrap.toString().isBlank()) {
      // Most likely an empty Secret or variable: starting the embedded broker instead would look
      // healthy while reading nothing of the real cluster.
      throw new ConfigException(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG + " is set but empty (an"
          + " empty KAFKA_BOOTSTRAP_SERVERS?). Name your brokers (host:port,...), or leave the"
          + " setting out entirely to start an embedded broker for a demo.");
    }
    Set<Task> tasks = tasks();
    if (tasks.isEmpty()) {
      throw new ConfigException(TASKS + " is empty; list at least one of "
          + String.join(", ", TaskConfigBlocks.names()) + ".");
    }
    for (TaskConfigBlock block : TaskConfigBlocks.ALL) {
      block.check(this, tasks.contains(block.task()));
    }
    Integer maxRecordBytes = getInt(MAX_RECORD_BYTES);
    long maxRequestSize = producerSetting(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_048_576L);
    if (maxRecordBytes != null && maxRecordBytes > maxRequestSize) {
      throw new ConfigException(MAX_RECORD_BYTES + "=" + maxRecordBytes + " is above the producer's"
          + " max.request.size (" + maxRequestSize + "): such records would be refused by the"
          + " producer and retried forever. Raise producer.max.request.size (and the topics'"
          + " max.message.bytes) or lower " + MAX_RECORD_BYTES + ".");
    }
    if (enrichedOutput() && !valueSerializerClass().isEmpty()) {
      // Enriching derives an output schema from the input's writer schema and writes the bytes
      // itself; a plugged-in serializer would only ever see our result records, so the mode
      // would be silently ignored.
      throw new ConfigException(OUTPUT_MODE + "=enriched cannot be combined with "
          + SERDE_VALUE_SERIALIZER + "=" + valueSerializerClass() + ": enriched records are"
          + " written by the built-in Confluent or single-object writer. Leave "
          + SERDE_VALUE_SERIALIZER + " empty (the built-in writer speaks Confluent's wire format"
          + " with schema.registry.url, so Confluent's deserializers read the output), or use "
          + OUTPUT_MODE + "=results with the plugged-in serializer.");
    }
  }

  /**
   * A producer setting as Kafka Streams resolves it: {@code producer.}-prefixed first, then the
   * plain key (the prefix wins when both are set).
   */
  private long producerSetting(String key, long defaultValue) {
    Object value = passThrough.get(StreamsConfig.producerPrefix(key));
    if (value == null) {
      value = passThrough.get(key);
    }
    if (value == null) {
      return defaultValue;
    }
    try {
      return Long.parseLong(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, value, "must be a whole number");
    }
  }

  /** The consumer's internal switch; a custom client property, so Kafka Streams passes it on. */
  static final String CONSUMER_LEAVE_GROUP_ON_CLOSE = "internal.leave.group.on.close";

  /** Whether group.instance.id is set (static membership). */
  public boolean staticMembership() {
    return passThrough.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG) != null
        || passThrough.get(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG))
            != null
        || passThrough.get(StreamsConfig.mainConsumerPrefix(
            ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)) != null;
  }

  /** Largest record the processor writes (see {@link #MAX_RECORD_BYTES}). */
  public int maxRecordBytes() {
    Integer configured = getInt(MAX_RECORD_BYTES);
    if (configured != null) {
      return configured;
    }
    long maxRequestSize = producerSetting(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_048_576L);
    return (int) Math.max(1_024, Math.min(Integer.MAX_VALUE, maxRequestSize - 1_024));
  }

  public int backpressureMaxRecords() {
    return getInt(BACKPRESSURE_MAX_RECORDS);
  }

  public int inferenceThreadsPerTask() {
    return getInt(INFERENCE_THREADS_PER_TASK);
  }

  public long shutdownTimeoutMs() {
    return getLong(SHUTDOWN_TIMEOUT_MS);
  }

  public boolean isExactlyOnce() {
    Object guarantee = passThrough.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
    return guarantee != null && guarantee.toString().startsWith("exactly_once");
  }

  /** The Kafka bootstrap servers, or null when none were configured (embedded broker mode). */
  public String bootstrapServers() {
    Object value = passThrough.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
    return value == null || value.toString().isBlank() ? null : value.toString();
  }

  /** Kafka Streams properties: pass-through keys with the application's defaults. */
  public Properties streamsProperties(String bootstrapServers) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "nlp-streams");
    if (getBoolean(LEAVE_GROUP_ON_CLOSE) && !staticMembership()) {
      // Kafka Streams' consumers stay in the group on close, so a restart (or the instances that
      // remain) waits out session.timeout.ms before the partitions move. A clean stop leaves.
      props.put(CONSUMER_LEAVE_GROUP_ON_CLOSE, true);
    }
    if (!passThrough.containsKey(ProducerConfig.LINGER_MS_CONFIG)
        && !passThrough.containsKey(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG))) {
      // Kafka Streams lingers 100 ms before sending, for throughput with small records. Here a
      // record costs milliseconds of inference, so the linger only adds latency: every result
      // would wait up to 100 ms after its batch. Measured with bench ner: more throughput too.
      props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), DEFAULT_LINGER_MS);
    }
    if (!passThrough.containsKey(StreamsConfig.POLL_MS_CONFIG)) {
      // Results come back from the inference threads, but only a stream thread can forward them,
      // at its next punctuation; a stream thread with no new input blocks in poll for poll.ms
      // (100 by default) before it checks its punctuators, so that is what a result could wait
      // on a quiet input. 10 ms costs an idle stream thread about 100 short polls a second.
      props.put(StreamsConfig.POLL_MS_CONFIG, DEFAULT_POLL_MS);
    }
    props.putAll(passThrough);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return props;
  }

  public String applicationId() {
    Object id = passThrough.get(StreamsConfig.APPLICATION_ID_CONFIG);
    return id == null ? "nlp-streams" : id.toString();
  }

  public int streamThreads() {
    Object threads = passThrough.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG);
    return threads == null ? 1 : Integer.parseInt(threads.toString().trim());
  }

  public String inputTopic() {
    return getString(INPUT_TOPIC);
  }

  public String deadLetterTopic() {
    return getString(DEAD_LETTER_TOPIC);
  }

  public int maxTextChars() {
    return getInt(INPUT_MAX_TEXT_CHARS);
  }

  public int deadLetterMaxValueBytes() {
    return getInt(DEAD_LETTER_MAX_VALUE_BYTES);
  }

  /** The output topic of {@code task}, from its block's topic setting. */
  public String outputTopic(Task task) {
    return getString(block(task).outputTopicSetting());
  }

  /** The configuration block of {@code task}. */
  public static TaskConfigBlock block(Task task) {
    return TaskConfigBlocks.ALL.stream().filter(block -> block.task() == task).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No configuration block for task "
            + task + "; add one to TaskConfigBlocks.ALL"));
  }

  /** The configured tasks, in configuration order. */
  public Set<Task> tasks() {
    Map<String, Task> byName = new LinkedHashMap<>();
    TaskConfigBlocks.ALL.forEach(block -> byName.put(block.name(), block.task()));
    Set<Task> tasks = new LinkedHashSet<>();
    for (String name : getList(TASKS)) {
      Task task = byName.get(name.strip());
      if (task == null) {
        // The validator refuses other names already; a task needs a block, never a silent default.
        throw new ConfigException(TASKS, name, "unknown task; known tasks: " + byName.keySet());
      }
      tasks.add(task);
    }
    return tasks;
  }

  public List<TranslationModelSpec> translationModels() {
    return TranslationConfig.BLOCK.models(this);
  }

  /** Null when records must name their target language. */
  public String translationDefaultTargetLanguage() {
    return TranslationConfig.BLOCK.defaultTargetLanguage(this);
  }

  public boolean translationDetectLanguage() {
    return TranslationConfig.BLOCK.detectLanguage(this);
  }

  /** Pipeline-level Hugging Face generation overrides for translation (only the set ones). */
  public Map<String, Object> translationGenerationOverrides() {
    return TranslationConfig.BLOCK.generationOverrides(this);
  }

  public List<String> summarizationModels() {
    return SummarizationConfig.BLOCK.models(this);
  }

  /** Pipeline-level Hugging Face generation overrides for summaries (only the set ones). */
  public Map<String, Object> summarizationGenerationOverrides() {
    return SummarizationConfig.BLOCK.generationOverrides(this);
  }

  public int summarizationMaxRounds() {
    return SummarizationConfig.BLOCK.maxRounds(this);
  }

  public long generationRunTimeoutMs() {
    return getLong(GENERATION_RUN_TIMEOUT_MS);
  }

  public int generationMaxChunks() {
    return getInt(GENERATION_MAX_CHUNKS);
  }

  public int generationMaxNumBeams() {
    return getInt(GENERATION_MAX_NUM_BEAMS);
  }

  public int generationMaxNewTokensLimit() {
    return getInt(GENERATION_MAX_NEW_TOKENS_LIMIT);
  }

  static void putIfSet(Map<String, Object> layer, String key, Integer value) {
    if (value != null) {
      layer.put(key, value);
    }
  }

  public String nerModel() {
    return NerConfig.BLOCK.model(this);
  }

  public AggregationStrategy nerAggregationStrategy() {
    return NerConfig.BLOCK.aggregationStrategy(this);
  }

  public int nerWindowStride() {
    return NerConfig.BLOCK.windowStride(this);
  }

  public int nerMaxLength() {
    return NerConfig.BLOCK.maxLength(this);
  }

  /**
   * The batch and run budgets for models on {@code device} ({@code cpu}, {@code cuda:0}): the
   * configured values where set, the device's defaults otherwise.
   */
  public BatchBudgets budgets(String device) {
    return BatchBudgets.forDevice(device).overriddenBy(getInt(BATCH_MAX_RECORDS),
        getInt(BATCH_MAX_TOKENS), getInt(INFERENCE_MAX_BATCH_SIZE),
        getInt(INFERENCE_MAX_BATCH_TOKENS));
  }

  /** Records per micro-batch on the CPU (benchmarks and tools, which run on the CPU here). */
  public int batchMaxRecords() {
    return budgets("cpu").batchMaxRecords();
  }

  /** Tokens per micro-batch on the CPU. */
  public int batchMaxTokens() {
    return budgets("cpu").batchMaxTokens();
  }

  public long batchMaxWaitMs() {
    return getLong(BATCH_MAX_WAIT_MS);
  }

  public DeviceSpec inferenceDevice() {
    return DeviceSpec.parse(getString(INFERENCE_DEVICE));
  }

  /**
   * Intra-op threads, resolving 0 to cores / inference threads per task (at least 1): a model
   * runs on its task's inference threads only, so one run may use every core when it runs alone.
   */
  public int inferenceIntraOpThreads() {
    int configured = getInt(INFERENCE_INTRA_OP_THREADS);
    if (configured > 0) {
      return configured;
    }
    return Math.max(1, Runtime.getRuntime().availableProcessors() / inferenceThreadsPerTask());
  }

  public int inferenceInterOpThreads() {
    return getInt(INFERENCE_INTER_OP_THREADS);
  }

  public String inferenceOptimizationLevel() {
    return getString(INFERENCE_OPTIMIZATION_LEVEL);
  }

  public boolean inferenceAllowSpinning() {
    return getBoolean(INFERENCE_ALLOW_SPINNING);
  }

  /** Whether encoder models (NER, embeddings) use ONNX Runtime's CPU arena. */
  public boolean inferenceCpuArena() {
    return !"false".equals(getString(INFERENCE_CPU_ARENA));
  }

  /** Whether seq2seq models (translation, summaries) use ONNX Runtime's CPU arena. */
  public boolean generationCpuArena() {
    return "true".equals(getString(INFERENCE_CPU_ARENA));
  }

  public boolean inferenceMemoryPattern() {
    return getBoolean(INFERENCE_MEMORY_PATTERN);
  }

  public long inferenceRunTimeoutMs() {
    return getLong(INFERENCE_RUN_TIMEOUT_MS);
  }

  /** Rows per model run on the CPU (benchmarks and tools). */
  public int inferenceMaxBatchSize() {
    return budgets("cpu").runMaxRows();
  }

  /** Padded tokens per model run on the CPU (benchmarks and tools). */
  public int inferenceMaxBatchTokens() {
    return budgets("cpu").runMaxTokens();
  }

  /** The configured rows per model run, or 0 to let each model use its device's default. */
  public int inferenceMaxBatchSizeSetting() {
    Integer value = getInt(INFERENCE_MAX_BATCH_SIZE);
    return value == null ? 0 : value;
  }

  /** The configured padded tokens per model run, or 0 for the device's default. */
  public int inferenceMaxBatchTokensSetting() {
    Integer value = getInt(INFERENCE_MAX_BATCH_TOKENS);
    return value == null ? 0 : value;
  }

  /** A Markdown table of every nlp.* setting, for the README's configuration reference. */
  public static String markdownReference() {
    StringBuilder md = new StringBuilder("| Setting | Type | Default | Valid values | Description |\n");
    md.append("|---|---|---|---|---|\n");
    for (ConfigDef.ConfigKey key : new TreeMap<>(CONFIG_DEF.configKeys()).values()) {
      md.append("| `").append(key.name).append("` | ").append(key.type.name().toLowerCase(Locale.ROOT))
          .append(" | `").append(key.hasDefault() && key.defaultValue != null ? String.valueOf(key.defaultValue) : "")
          .append("` | ").append(key.validator == null ? "" : key.validator.toString().replace("|", "\\|"))
          .append(" | ").append(key.documentation.replace("|", "\\|")).append(" |\n");
    }
    return md.toString();
  }

  // Wire formats (issue 10).
  public static final String OUTPUT_FRAMING = "nlp.output.framing";

  public static final String INPUT_FORMAT = "nlp.input.format";
  public static final String INPUT_FIELD_PREFIX = "nlp.input.field.";
  public static final String INPUT_FIELD_TEXT = "nlp.input.field.text";
  public static final String INPUT_FIELD_EVENT_ID = "nlp.input.field.event.id";
  public static final String INPUT_FIELD_LANGUAGE = "nlp.input.field.language";
  public static final String INPUT_FIELD_TASKS = "nlp.input.field.tasks";
  public static final String INPUT_FIELD_TARGET_LANGUAGE = "nlp.input.field.target.language";
  public static final String INPUT_FIELD_AGGREGATION_STRATEGY =
      "nlp.input.field.aggregation.strategy";
  public static final String INPUT_FIELD_NER_MODEL = "nlp.input.field.ner.model";
  public static final String INPUT_FIELD_TRANSLATION_MODEL = "nlp.input.field.translation.model";
  public static final String INPUT_FIELD_TRANSLATION_NUM_BEAMS = "nlp.input.field.translation.num.beams";
  public static final String INPUT_FIELD_TRANSLATION_MAX_NEW_TOKENS = "nlp.input.field.translation.max.new.tokens";
  public static final String INPUT_FIELD_SUMMARY_MODEL = "nlp.input.field.summary.model";
  public static final String INPUT_FIELD_SUMMARY_NUM_BEAMS = "nlp.input.field.summary.num.beams";
  public static final String INPUT_FIELD_SUMMARY_MAX_NEW_TOKENS = "nlp.input.field.summary.max.new.tokens";
  public static final String INPUT_FIELD_SUMMARY_MIN_LENGTH = "nlp.input.field.summary.min.length";
  /** The per-task option paths share one type rule; said once for every setting's doc. */
  private static final String OPTION_TYPE_RULE = " A value of another type (a string where an int"
      + " belongs) is dead-lettered with reason INVALID_EVENT and the path in the message.";

  public static final String OUTPUT_MODE = "nlp.output.mode";

  public static final String SERDE_VALUE_DESERIALIZER = "nlp.serde.value.deserializer";
  public static final String SERDE_VALUE_SERIALIZER = "nlp.serde.value.serializer";

  /** A plugged-in input deserializer class name, or empty. */
  public String valueDeserializerClass() {
    return getString(SERDE_VALUE_DESERIALIZER).trim();
  }

  /** A plugged-in output serializer class name, or empty. */
  public String valueSerializerClass() {
    return getString(SERDE_VALUE_SERIALIZER).trim();
  }

  /** Whether outputs are the input records with the result added. */
  public boolean enrichedOutput() {
    return "enriched".equals(getString(OUTPUT_MODE));
  }

  /** Whether values are users' own events read by field paths. */
  public boolean mappedInput() {
    return "mapped".equals(getString(INPUT_FORMAT));
  }

  /**
   * The path setting {@code nlp.input.field.<suffix>} (text, event.id, language, tasks, or a
   * per-task option's suffix); empty when not mapped.
   */
  public String inputFieldPath(String suffix) {
    return getString(INPUT_FIELD_PREFIX + suffix);
  }

  /** auto, confluent or single-object; see {@code dev.nlpstreams.schema.OutputFraming}. */
  public String outputFraming() {
    return getString(OUTPUT_FRAMING);
  }

  /** Every non-nlp.* key as given (Kafka's and the schema registry's); read-only. */
  public Map<String, Object> passThroughSettings() {
    return Collections.unmodifiableMap(passThrough);
  }

  // --- Deployment (issue 11): admin endpoint accessors. Keep this block together. ---

  public boolean adminEnabled() {
    return getBoolean(ADMIN_ENABLED);
  }

  public String adminHost() {
    return getString(ADMIN_HOST);
  }

  public int adminPort() {
    return getInt(ADMIN_PORT);
  }
}
