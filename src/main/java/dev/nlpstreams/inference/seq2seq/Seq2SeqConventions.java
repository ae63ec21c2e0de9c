package dev.nlpstreams.inference.seq2seq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nlpstreams.inference.ModelLoadException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a model family does around the network, read from the export's files rather than guessed
 * from its name: the source template of tokenizer.json, the language tokens of a multilingual model
 * (with their ids), the task prefixes of config.json and the longest source the model reads.
 *
 * @param template the tokenizer's single-sequence template
 * @param languages language tokens, empty when the model is not multilingual
 * @param languageTokenIds id of every language token
 * @param prefixes task prefixes and per-task generation settings
 * @param maxSourceTokens longest source in tokens, special tokens included
 */
record Seq2SeqConventions(SourceTemplate template, Optional<LanguageTokens> languages,
    Map<String, Long> languageTokenIds, TaskPrefixes prefixes, int maxSourceTokens) {

  /** transformers writes a huge number (1e30) as model_max_length when there is no limit. */
  private static final double NO_LIMIT_SENTINEL = 1_000_000;
  /** What Hugging Face assumes for T5-style models that have neither limit in their files. */
  static final int DEFAULT_MAX_SOURCE_TOKENS = 512;

  private static final ObjectMapper JSON = new ObjectMapper();

  Seq2SeqConventions {
    languageTokenIds = Collections.unmodifiableMap(new LinkedHashMap<>(languageTokenIds));
  }

  static Seq2SeqConventions read(Seq2SeqModelDir dir) {
    JsonNode tokenizer;
    try {
      tokenizer = JSON.readTree(dir.tokenizerJson().toFile());
    } catch (IOException e) {
      throw new ModelLoadException("Cannot parse " + dir.tokenizerJson() + ": " + e.getMessage(), e);
    }
    SourceTemplate template;
    try {
      template = SourceTemplate.fromPostProcessor(tokenizer.path("post_processor"));
    } catch (RuntimeException e) {
      throw new ModelLoadException(dir.tokenizerJson() + ": " + e.getMessage(), e);
    }
    Optional<LanguageTokens> languages =
        LanguageTokens.find(specialTokens(tokenizer, dir.tokenizerConfig()));
    Map<String, Long> ids = new LinkedHashMap<>();
    if (languages.isPresent()) {
      Map<String, Long> vocabulary = tokenIds(tokenizer);
      for (String token : languages.get().tokens()) {
        Long id = vocabulary.get(token);
        if (id == null) {
          throw new ModelLoadException(dir.tokenizerJson() + " names the language token " + token
              + " but its vocabulary has no id for it.");
        }
        ids.put(token, id);
      }
    }
    return new Seq2SeqConventions(template, languages, ids,
        TaskPrefixes.fromConfig(dir.config()), maxSourceTokens(dir.config(), dir.tokenizerConfig()));
  }

  /**
   * The longest source: the smaller of tokenizer_config {@code model_max_length} and config
   * {@code max_position_embeddings}, whichever exist; T5 has no position embeddings (relative
   * attention) and gets its tokenizer's limit or 512.
   */
  static int maxSourceTokens(Map<String, Object> config, Map<String, Object> tokenizerConfig) {
    long fromTokenizer = 0;
    if (tokenizerConfig.get("model_max_length") instanceof Number n
        && n.doubleValue() > 0 && n.doubleValue() < NO_LIMIT_SENTINEL) {
      fromTokenizer = n.longValue();
    }
    long positions = config.get("max_position_embeddings") instanceof Number n && n.longValue() > 0
        ? n.longValue() : 0;
    if (fromTokenizer > 0 && positions > 0) {
      return (int) Math.min(fromTokenizer, positions);
    }
    if (fromTokenizer > 0 || positions > 0) {
      return (int) Math.max(fromTokenizer, positions);
    }
    return DEFAULT_MAX_SOURCE_TOKENS;
  }

  /**
   * Special tokens as transformers.js collects them: tokenizer.json added tokens marked special,
   * plus tokenizer_config.json {@code additional_special_tokens} and special
   * {@code added_tokens_decoder} entries.
   */
  static List<String> specialTokens(JsonNode tokenizer, Map<String, Object> tokenizerConfig) {
    List<String> out = new ArrayList<>();
    for (JsonNode added : tokenizer.path("added_tokens")) {
      if (added.path("special").asBoolean(false)) {
        out.add(added.path("content").asText());
      }
    }
    if (tokenizerConfig.get("additional_special_tokens") instanceof List<?> extra) {
      for (Object token : extra) {
        if (token instanceof String s) {
          out.add(s);
        } else if (token instanceof Map<?, ?> m && m.get("content") instanceof String s) {
          out.add(s);
        }
      }
    }
    if (tokenizerConfig.get("added_tokens_decoder") instanceof Map<?, ?> decoder) {
      for (Object entry : decoder.values()) {
        if (entry instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("special"))
            && m.get("content") instanceof String s) {
          out.add(s);
        }
      }
    }
    return out;
  }

  /** Token -> id from the added tokens, then the model's vocabulary (map, or Unigram list). */
  static Map<String, Long> tokenIds(JsonNode tokenizer) {
    Map<String, Long> ids = new HashMap<>();
    JsonNode vocab = tokenizer.path("model").path("vocab");
    if (vocab.isObject()) {
      vocab.properties().forEach(e -> ids.put(e.getKey(), e.getValue().asLong()));
    } else if (vocab.isArray()) {
      for (int i = 0; i < vocab.size(); i++) {
        ids.putIfAbsent(vocab.get(i).path(0).asText(), (long) i);
      }
    }
    for (JsonNode added : tokenizer.path("added_tokens")) {
      ids.put(added.path("content").asText(), added.path("id").asLong());
    }
    return ids;
  }
}
