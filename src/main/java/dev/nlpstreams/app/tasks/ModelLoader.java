package dev.nlpstreams.app.tasks;

import dev.nlpstreams.config.ModelPrecision;
import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.ModelResolver;
import dev.nlpstreams.schema.avro.Task;

/**
 * What a task module loads its models through: the application's model resolution and session
 * settings, and the registry that closes, stops, warms up and reports every loaded model.
 */
public interface ModelLoader {

  /**
   * A model location (a directory, {@code bundled:<name>}, {@code hf:owner/name}) as a local
   * directory; whatever was extracted or downloaded for it is cleaned up with the models. A Hub
   * download fetches the graphs of {@code precision}.
   */
  ModelResolver.ResolvedModel resolve(String location, ModelPrecision precision);

  /** Session settings for encoder models (NER, embeddings). */
  InferenceSettings encoderSettings();

  /** Session settings for generation models (translation, summarization). */
  InferenceSettings generationSettings();

  /**
   * Hands a loaded model to the application: it is closed with the others (in reverse order of
   * registration), stopped on shutdown, warmed up and metered.
   */
  void register(ManagedModel model);

  /**
   * The port the topology will call for {@code task}: {@code model} itself, or a wrapper the
   * embedding application installed (tracing, fault injection).
   */
  <T> T port(Task task, Class<T> type, T model);
}
