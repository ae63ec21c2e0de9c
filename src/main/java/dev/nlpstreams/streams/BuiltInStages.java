package dev.nlpstreams.streams;

import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.text.ner.AggregationStrategy;
import dev.nlpstreams.text.task.EntityRecognizer;
import dev.nlpstreams.text.task.TextGenerator;
import dev.nlpstreams.text.translation.TranslationModelCapabilities;
import dev.nlpstreams.text.translation.TranslationRouter;
import java.util.List;
import java.util.Map;

/**
 * The stages of the tasks whose batch tasks live in this package (NER, translation,
 * summarization), made from their model ports and their task's own settings: shared by their task
 * modules and by tests that run the topology with fake models.
 */
public final class BuiltInStages {

  /**
   * Translation's own settings (its configuration block).
   *
   * @param targetLanguage the target language of a record that names none; null: such a record
   *     is dead-lettered
   * @param detectLanguage whether a record with no source language has it detected
   * @param generationOverrides generation settings over every translation model's own
   */
  public record TranslationSettings(String targetLanguage, boolean detectLanguage,
      Map<String, Object> generationOverrides) {

    public TranslationSettings {
      generationOverrides = Map.copyOf(generationOverrides);
    }
  }

  private BuiltInStages() {}

  /** @param defaultAggregation how tokens are grouped into entities when a record does not say */
  public static TaskStage ner(NlpTopology.Settings settings, EntityRecognizer recognizer,
      AggregationStrategy defaultAggregation) {
    return new TaskStage(Task.NER, NlpTopology.NER_BATCH,
        NlpTopology.NER_BUFFER_STORE, NlpTopology.ENTITIES_SINK,
        new NerBatchTask(recognizer, defaultAggregation, NlpTopology.ENTITIES_SINK,
            settings.encoderRunTimeoutMs()));
  }

  /**
   * @param translators translation models by configured name, in configuration order
   * @param routes what each translator can do (same names, same order)
   */
  public static TaskStage translate(NlpTopology.Settings settings,
      Map<String, TextGenerator> translators, List<TranslationModelCapabilities> routes,
      TranslationSettings translation) {
    GenerationModels models = new GenerationModels(translators,
        translation.generationOverrides(), settings.generationLimits());
    TranslationRouter router = new TranslationRouter(routes, translation.targetLanguage(),
        translation.detectLanguage());
    return new TaskStage(Task.TRANSLATE, NlpTopology.TRANSLATE_BATCH,
        NlpTopology.TRANSLATE_BUFFER_STORE, NlpTopology.TRANSLATIONS_SINK,
        new TranslationBatchTask(models, router, NlpTopology.TRANSLATIONS_SINK,
            settings.generationRunTimeoutMs()));
  }

  /**
   * @param summarizers summarization models by configured name, the default first
   * @param generationOverrides generation settings over every summarization model's own
   */
  public static TaskStage summarize(NlpTopology.Settings settings,
      Map<String, TextGenerator> summarizers, Map<String, Object> generationOverrides) {
    GenerationModels models = new GenerationModels(summarizers, generationOverrides,
        settings.generationLimits());
    return new TaskStage(Task.SUMMARIZE, NlpTopology.SUMMARIZE_BATCH,
        NlpTopology.SUMMARIZE_BUFFER_STORE, NlpTopology.SUMMARIES_SINK,
        new SummaryBatchTask(models, NlpTopology.SUMMARIES_SINK,
            settings.generationRunTimeoutMs()));
  }
}
