package dev.nlpstreams.text.task;

import dev.nlpstreams.text.generation.GenerationConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A seq2seq model (translation or summarization). Implementations are thread-safe: one instance per
 * model per process is shared by all stream threads. The streaming layer only sees this interface,
 * so it is tested with a fake and a shared batching engine can later sit behind it.
 */
public interface TextGenerator extends AutoCloseable {

  /**
   * Generates for every request with one shared search configuration; results in request order.
   * Requests may differ in source and target language (a multilingual model forces each row's own
   * target language token). Implementations cut the requests into model runs by length, so callers
   * pass everything that may share a configuration in one call.
   *
   * @throws InferenceException when the batch as a whole failed; the caller isolates the failing
   *     record by splitting the batch.
   */
  List<GeneratedText> generate(List<GenerationRequest> requests, GenerationConfig config)
      throws InferenceException;

  /**
   * As {@link #generate(List, GenerationConfig)}, with each model run cancelled after at most
   * {@code timeoutMs} (or the model's own run deadline, when shorter): lets a caller that isolates
   * a stalled record retry the halves of a batch without paying the full deadline again.
   */
  default List<GeneratedText> generate(List<GenerationRequest> requests, GenerationConfig config,
      long timeoutMs) throws InferenceException {
    return generate(requests, config);
  }

  /** Source tokens the request costs: special tokens and any task prefix included. */
  int countTokens(GenerationRequest request);

  /** The longest source the model reads, in tokens; longer inputs must be chunked. */
  int maxSourceTokens();

  /**
   * The model's own generation settings as Hugging Face JSON layers (config.json, then
   * generation_config.json). Callers append their pipeline and per-record layers and resolve them
   * with {@link GenerationConfig#fromLayers}.
   */
  List<Map<String, Object>> defaultLayers();

  /**
   * The model's layers for one kind of request: {@link #defaultLayers()} plus the settings the
   * model declares for the request's task ({@code task_specific_params.summarization} or
   * {@code translation_en_to_de}, minus the prefix), which Hugging Face pipelines apply above the
   * model's files and below the caller's settings. Requests that differ in purpose or language
   * pair may resolve to different configs, so batch them separately.
   */
  default List<Map<String, Object>> defaultLayers(GenerationRequest request) {
    return defaultLayers();
  }

  /**
   * Languages a multilingual model can translate between, as lower-case ISO 639-1 codes where the
   * model's language tokens map to one ({@code __de__}, {@code de_DE} -> {@code de}), else the
   * model's own code. Empty for models with one fixed language pair (Marian) and for
   * summarizers.
   */
  Set<String> languages();

  /**
   * Language pairs the model declares through task prefixes (T5's {@code task_specific_params}
   * {@code translation_en_to_de}), as {@code "en->de"}. Empty when it declares none.
   */
  Set<String> prefixedLanguagePairs();

  ModelIdentity identity();

  @Override
  void close();
}
