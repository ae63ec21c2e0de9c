package dev.nlpstreams.streams;

import dev.nlpstreams.text.generation.GenerationConfig;
import dev.nlpstreams.text.task.GeneratedText;
import dev.nlpstreams.text.task.GenerationPurpose;
import dev.nlpstreams.text.task.GenerationRequest;
import dev.nlpstreams.text.task.InferenceException;
import dev.nlpstreams.text.task.ModelIdentity;
import dev.nlpstreams.text.task.TextGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deterministic stand-in for a seq2seq model, to test the topology's routing, chunking and
 * batching without ONNX Runtime. One token per word plus one for the end of sequence.
 * "Translation" upper-cases the text and tags it with the target ({@code "THE DOG. [de]"});
 * "summarization" keeps the text's first sentence. A text containing {@code POISON} fails its
 * whole batch.
 */
final class FakeGenerator implements TextGenerator {

  /** One generate call: the requests and the shared config. */
  record Call(List<GenerationRequest> requests, GenerationConfig config) {}

  private final String name;
  private final int maxSourceTokens;
  private final Set<String> languages;
  private final Map<String, Object> generationConfig;
  final List<Call> calls = new CopyOnWriteArrayList<>();
  /** Calls of {@link #countTokens} from outside (what planning and chunking cost). */
  final AtomicInteger tokenCounts = new AtomicInteger();

  FakeGenerator(String name, int maxSourceTokens, Set<String> languages) {
    this(name, maxSourceTokens, languages, Map.of("max_length", 21));
  }

  FakeGenerator(String name, int maxSourceTokens, Set<String> languages,
      Map<String, Object> generationConfig) {
    this.name = name;
    this.maxSourceTokens = maxSourceTokens;
    this.languages = Set.copyOf(languages);
    this.generationConfig = Map.copyOf(generationConfig);
  }

  static int words(String text) {
    String stripped = text.strip();
    return stripped.isEmpty() ? 0 : stripped.split("\\s+").length;
  }

  @Override
  public List<GeneratedText> generate(List<GenerationRequest> requests, GenerationConfig config)
      throws InferenceException {
    calls.add(new Call(List.copyOf(requests), config));
    List<GeneratedText> out = new ArrayList<>();
    for (GenerationRequest r : requests) {
      if (r.text().contains("POISON")) {
        throw new InferenceException("poisoned input in a batch of " + requests.size());
      }
      if (r.targetLanguage() != null && !languages.isEmpty()
          && !languages.contains(r.targetLanguage())) {
        throw new IllegalArgumentException(name + " has no language " + r.targetLanguage());
      }
      String text = r.purpose() == GenerationPurpose.SUMMARIZE
          ? firstSentence(r.text())
          : r.text().strip().toUpperCase(Locale.ROOT) + " [" + r.targetLanguage() + "]";
      out.add(new GeneratedText(text, new int[] {1, 2}, -0.5, words(r.text()) + 1));
    }
    return out;
  }

  private static String firstSentence(String text) {
    String stripped = text.strip();
    int end = stripped.indexOf(". ");
    return end < 0 ? stripped : stripped.substring(0, end + 1);
  }

  @Override
  public int countTokens(GenerationRequest request) {
    tokenCounts.incrementAndGet();
    return words(request.text()) + 1;
  }

  @Override
  public int maxSourceTokens() {
    return maxSourceTokens;
  }

  @Override
  public List<Map<String, Object>> defaultLayers() {
    return List.of(Map.of("decoder_start_token_id", 0, "eos_token_id", 1, "pad_token_id", 0),
        generationConfig);
  }

  @Override
  public Set<String> languages() {
    return languages;
  }

  @Override
  public Set<String> prefixedLanguagePairs() {
    return Set.of();
  }

  @Override
  public ModelIdentity identity() {
    return new ModelIdentity(name, "fake-1", "cpu");
  }

  @Override
  public void close() {}
}
