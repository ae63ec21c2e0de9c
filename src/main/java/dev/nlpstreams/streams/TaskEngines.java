package dev.nlpstreams.streams;

import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.text.task.EntityRecognizer;
import dev.nlpstreams.text.task.TextGenerator;
import dev.nlpstreams.text.translation.TranslationModelCapabilities;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model ports of the built-in NER, translation and summarization tasks, for code that builds
 * the topology from models it holds (tests with fakes, tools). A task that is not configured has
 * no engine: {@code ner} null, or an empty map. Other tasks bring their stage through their task
 * module instead (see {@link NlpTopology#build(NlpTopology.Settings, List, TopologyIo,
 * InferenceEngines, dev.nlpstreams.metrics.NlpMeters)}).
 *
 * @param ner the NER model, or null
 * @param translators translation models by configured name, in configuration order
 * @param translationRoutes what each translator can do (same names, same order)
 * @param summarizers summarization models by configured name, the default first
 */
public record TaskEngines(EntityRecognizer ner, Map<String, TextGenerator> translators,
    List<TranslationModelCapabilities> translationRoutes, Map<String, TextGenerator> summarizers) {

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
      stages.add(BuiltInStages.ner(settings, ner));
    }
    if (settings.tasks().contains(Task.TRANSLATE)) {
      stages.add(BuiltInStages.translate(settings, translators, translationRoutes));
    }
    if (settings.tasks().contains(Task.SUMMARIZE)) {
      stages.add(BuiltInStages.summarize(settings, summarizers));
    }
    return stages;
  }
}
