package dev.nlpstreams.streams;

import dev.nlpstreams.schema.avro.Task;
import java.util.List;
import java.util.function.Function;

/**
 * What the topology needs to know about one NLP task, so that it iterates over tasks instead of
 * naming each: the task's buffer node, store and sink names, its output topic, and how its batch
 * task (option check, token count, model call, output record) is made from the loaded models.
 *
 * <p>The node and store names are part of the topology's contract: changing one makes an upgraded
 * processor unable to restore the buffers an older one left (see {@code topology/topology.txt}).
 */
record TaskModule(Task task, String batchNode, String bufferStore, String sinkNode,
    Function<Topics, String> outputTopic, Factory batchTask) {

  /** Makes a task's batch task from the topology settings and the loaded models. */
  @FunctionalInterface
  interface Factory {
    BatchTask create(NlpTopology.Settings settings, TaskEngines engines);
  }

  static final TaskModule NER = new TaskModule(Task.NER, NlpTopology.NER_BATCH,
      NlpTopology.NER_BUFFER_STORE, NlpTopology.ENTITIES_SINK, Topics::entities,
      (settings, engines) -> new NerBatchTask(engines.ner(), settings.defaultAggregation(),
          NlpTopology.ENTITIES_SINK, settings.encoderRunTimeoutMs()));

  static final TaskModule TRANSLATE = new TaskModule(Task.TRANSLATE,
      NlpTopology.TRANSLATE_BATCH, NlpTopology.TRANSLATE_BUFFER_STORE,
      NlpTopology.TRANSLATIONS_SINK, Topics::translations, NlpTopology::translationTask);

  static final TaskModule SUMMARIZE = new TaskModule(Task.SUMMARIZE,
      NlpTopology.SUMMARIZE_BATCH, NlpTopology.SUMMARIZE_BUFFER_STORE,
      NlpTopology.SUMMARIES_SINK, Topics::summaries, NlpTopology::summaryTask);

  static final TaskModule EMBED = new TaskModule(Task.EMBED, NlpTopology.EMBED_BATCH,
      NlpTopology.EMBED_BUFFER_STORE, NlpTopology.EMBEDDINGS_SINK, Topics::embeddings,
      (settings, engines) -> new EmbedBatchTask(engines.embedder(), NlpTopology.EMBEDDINGS_SINK,
          settings.encoderRunTimeoutMs()));

  /** Every task, in the order the topology adds their nodes. */
  static final List<TaskModule> ALL = List.of(NER, TRANSLATE, SUMMARIZE, EMBED);
}
