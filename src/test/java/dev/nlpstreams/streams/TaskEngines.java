package dev.nlpstreams.streams;

import dev.nlpstreams.metrics.NlpMeters;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.text.ner.AggregationStrategy;
import dev.nlpstreams.text.task.EntityRecognizer;
import dev.nlpstreams.text.task.TextGenerator;
import dev.nlpstreams.text.translation.TranslationModelCapabilities;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.Topology;

/**
 * For tests: the model ports (fakes) of the built-in NER, translation and summarization tasks,
 * the stages they make with the tests' per-task settings, and topologies built from them. A task
 * that is not configured has no engine: {@code ner} null, or an empty map. The application makes
 * its stages through its task modules instead.
 *
 * @param ner the NER model, or null
 * @param translators translation models by configured name, in configuration order
 * @param translationRoutes what each translator can do (same names, same order)
 * @param summarizers summarization models by configured name, the default first
 */
public record TaskEngines(EntityRecognizer ner, Map<String, TextGenerator> translators,
    List<TranslationModelCapabilities> translationRoutes, Map<String, TextGenerator> summarizers) {

  /** NER's default aggregation in tests. */
  public static final AggregationStrategy AGGREGATION = AggregationStrategy.SIMPLE;
  /** Translation's settings in tests: German unless a record says otherwise, detection on. */
  public static final BuiltInStages.TranslationSettings TRANSLATION =
      new BuiltInStages.TranslationSettings("de", true, Map.of());

  public TaskEngines {
    translators = new LinkedHashMap<>(translators);
    translationRoutes = List.copyOf(translationRoutes);
    summarizers = new LinkedHashMap<>(summarizers);
  }

  public static TaskEngines nerOnly(EntityRecognizer ner) {
    return new TaskEngines(ner, Map.of(), List.of(), Map.of());
  }

  /** No models at all: enough to build and describe the topology, not to run it. */
  public static TaskEngines none() {
    return new TaskEngines(null, Map.of(), List.of(), Map.of());
  }

  /** The stages of the built-in tasks among {@code settings.tasks()}, in task order. */
  public List<TaskStage> stages(NlpTopology.Settings settings) {
    List<TaskStage> stages = new ArrayList<>();
    if (settings.tasks().contains(Task.NER)) {
      stages.add(BuiltInStages.ner(settings, ner, AGGREGATION));
    }
    if (settings.tasks().contains(Task.TRANSLATE)) {
      stages.add(BuiltInStages.translate(settings, translators, translationRoutes, TRANSLATION));
    }
    if (settings.tasks().contains(Task.SUMMARIZE)) {
      stages.add(BuiltInStages.summarize(settings, summarizers, Map.of()));
    }
    return stages;
  }

  /** The topology, its batches run inline on the stream thread (TopologyTestDriver tests). */
  public Topology topology(NlpTopology.Settings settings) {
    return topology(settings, TopologyIo.singleObject(), InferenceEngines.direct());
  }

  public Topology topology(NlpTopology.Settings settings, TopologyIo io,
      InferenceEngines inference) {
    return topology(settings, io, inference, NlpMeters.none());
  }

  public Topology topology(NlpTopology.Settings settings, TopologyIo io,
      InferenceEngines inference, NlpMeters meters) {
    return NlpTopology.build(settings, stages(settings), io, inference, meters);
  }
}
