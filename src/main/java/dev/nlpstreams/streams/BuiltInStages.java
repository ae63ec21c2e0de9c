package dev.nlpstreams.streams;

import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.text.task.EntityRecognizer;
import dev.nlpstreams.text.task.TextGenerator;
import dev.nlpstreams.text.translation.TranslationModelCapabilities;
import dev.nlpstreams.text.translation.TranslationRouter;
import java.util.List;
import java.util.Map;

/**
 * The stages of the tasks whose batch tasks live in this package (NER, translation,
 * summarization), made from their model ports: shared by their task modules and by tests that
 * run the topology with fake models.
 */
public final class BuiltInStages {

  private BuiltInStages() {}

  public static TaskStage ner(NlpTopology.Settings settings, EntityRecognizer recognizer) {
    return new TaskStage(Task.NER, NlpTopology.NER_BATCH,
        NlpTopology.NER_BUFFER_STORE, NlpTopology.ENTITIES_SINK,
        new NerBatchTask(recognizer, settings.defaultAggregation(), NlpTopology.ENTITIES_SINK,
            settings.encoderRunTimeoutMs()));
  }

  /**
   * @param translators translation models by configured name, in configuration order
   * @param routes what each translator can do (same names, same order)
   */
  public static TaskStage translate(NlpTopology.Settings settings,
      Map<String, TextGenerator> translators, List<TranslationModelCapabilities> routes) {
    GenerationModels models = new GenerationModels(translators,
        settings.translationOverrides(), settings.generationLimits());
    TranslationRouter router = new TranslationRouter(routes, settings.defaultTargetLanguage(),
        settings.detectLanguage());
    return new TaskStage(Task.TRANSLATE, NlpTopology.TRANSLATE_BATCH,
        NlpTopology.TRANSLATE_BUFFER_STORE, NlpTopology.TRANSLATIONS_SINK,
        new TranslationBatchTask(models, router, NlpTopology.TRANSLATIONS_SINK,
            settings.generationRunTimeoutMs()));
  }

  /** @param summarizers summarization models by configured name, the default first */
  public static TaskStage summarize(NlpTopology.Settings settings,
      Map<String, TextGenerator> summarizers) {
    GenerationModels models = new GenerationModels(summarizers, settings.summaryOverrides(),
        settings.generationLimits());
    return new TaskStage(Task.SUMMARIZE, NlpTopology.SUMMARIZE_BATCH,
        NlpTopology.SUMMARIZE_BUFFER_STORE, NlpTopology.SUMMARIES_SINK,
        new SummaryBatchTask(models, NlpTopology.SUMMARIES_SINK,
            settings.generationRunTimeoutMs()));
  }
}
