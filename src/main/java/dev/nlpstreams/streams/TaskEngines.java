package dev.nlpstreams.streams;

import dev.nlpstreams.text.task.EntityRecognizer;
import dev.nlpstreams.text.task.TextGenerator;
import dev.nlpstreams.text.translation.TranslationModelCapabilities;
import dev.nlpstreams.text.embedding.SentenceEmbedder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loaded models the topology's tasks run, shared by every stream thread. A task that is not
 * configured has no engine: {@code ner} null, or an empty map.
 *
 * @param ner the NER model, or null
 * @param translators translation models by configured name, in configuration order
 * @param translationRoutes what each translator can do (same names, same order)
 * @param summarizers summarization models by configured name, the default first
 * @param embedder the sentence-embedding model, or null
 */
public record TaskEngines(EntityRecognizer ner, Map<String, TextGenerator> translators,
    List<TranslationModelCapabilities> translationRoutes, Map<String, TextGenerator> summarizers,
    SentenceEmbedder embedder) {

  public TaskEngines {
    translators = new LinkedHashMap<>(translators);
    translationRoutes = List.copyOf(translationRoutes);
    summarizers = new LinkedHashMap<>(summarizers);
  }

  /** Without an embedding model. */
  public TaskEngines(EntityRecognizer ner, Map<String, TextGenerator> translators,
      List<TranslationModelCapabilities> translationRoutes, Map<String, TextGenerator> summarizers) {
    this(ner, translators, translationRoutes, summarizers, null);
  }

  public static TaskEngines nerOnly(EntityRecognizer ner) {
    return new TaskEngines(ner, Map.of(), List.of(), Map.of());
  }

  /** No models at all: enough to build and describe the topology, not to run it. */
  public static TaskEngines none() {
    return new TaskEngines(null, Map.of(), List.of(), Map.of());
  }
}
