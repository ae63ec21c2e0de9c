package dev.nlpstreams.text.generation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Resolved Hugging Face generation settings for one item, validated so that a search can run.
 * Lengths follow Hugging Face for encoder-decoder models: {@code maxLength} and {@code minLength}
 * count the decoder start token, so {@code max_new_tokens = n} becomes {@code maxLength = n + 1}.
 *
 * @param maxLength HF {@code max_length}: decoder length including the start token
 * @param minLength HF {@code min_length} (already raised from {@code min_new_tokens} when that is set)
 * @param minNewTokens HF {@code min_new_tokens}, 0 when unset
 * @param numBeams 1 for greedy search
 * @param lengthPenalty exponent of the generated length that divides a finished beam's log-probability
 * @param earlyStopping beam stopping rule
 * @param noRepeatNgramSize 0 to disable
 * @param repetitionPenalty 1.0 to disable
 * @param decoderStartTokenId first decoder token (not part of the returned tokens)
 * @param eosTokenIds end-of-sequence ids, possibly empty
 * @param padTokenId token appended to finished rows; defaults to the first eos id like Hugging Face
 * @param forcedBosTokenId token forced as the first generated token (mBART/M2M/NLLB target language)
 * @param forcedEosTokenIds tokens forced when the max length is about to be reached
 * @param badWordsIds token sequences that must never be generated (Marian bans its pad token this way)
 * @param numReturnSequences hypotheses returned per item, best first
 * @param renormalizeLogits HF {@code renormalize_logits}: log-softmax again after all processors, so
 *     beam scores stay normalised once tokens are masked (real Marian exports set it)
 */
public record GenerationConfig(
    int maxLength,
    int minLength,
    int minNewTokens,
    int numBeams,
    double lengthPenalty,
    EarlyStopping earlyStopping,
    int noRepeatNgramSize,
    double repetitionPenalty,
    int decoderStartTokenId,
    List<Integer> eosTokenIds,
    OptionalInt padTokenId,
    OptionalInt forcedBosTokenId,
    List<Integer> forcedEosTokenIds,
    List<List<Integer>> badWordsIds,
    int numReturnSequences,
    boolean renormalizeLogits) {

  /** New tokens generated when no layer sets max_length or max_new_tokens (recent HF: 20 new tokens). */
  public static final int DEFAULT_MAX_NEW_TOKENS = 20;

  public GenerationConfig {
    Objects.requireNonNull(earlyStopping, "earlyStopping");
    eosTokenIds = List.copyOf(eosTokenIds);
    forcedEosTokenIds = List.copyOf(forcedEosTokenIds);
    List<List<Integer>> words = new ArrayList<>();
    for (List<Integer> w : badWordsIds) {
      words.add(List.copyOf(w));
    }
    badWordsIds = List.copyOf(words);
    Objects.requireNonNull(padTokenId, "padTokenId");
    Objects.requireNonNull(forcedBosTokenId, "forcedBosTokenId");
    validate(maxLength, minLength, minNewTokens, numBeams, lengthPenalty, noRepeatNgramSize,
        repetitionPenalty, decoderStartTokenId, eosTokenIds, padTokenId, forcedBosTokenId,
        forcedEosTokenIds, badWordsIds, numReturnSequences);
  }

  /** HF {@code max_new_tokens}: the most tokens the search appends after the start token. */
  public int maxNewTokens() {
    return maxLength - 1;
  }

  /**
   * This config with {@code tokenId} forced as the first generated token. Searches take one config
   * per batch item, so a batch that mixes target languages forces each row's own language token
   * (what Hugging Face does per call with {@code forced_bos_token_id}).
   */
  public GenerationConfig withForcedBosTokenId(int tokenId) {
    return new GenerationConfig(maxLength, minLength, minNewTokens, numBeams, lengthPenalty,
        earlyStopping, noRepeatNgramSize, repetitionPenalty, decoderStartTokenId, eosTokenIds,
        padTokenId, OptionalInt.of(tokenId), forcedEosTokenIds, badWordsIds, numReturnSequences,
        renormalizeLogits);
  }

  /**
   * This config with at most {@code limit} decoder positions (start token included): a decoder
   * with learned position embeddings cannot go past them.
   */
  public GenerationConfig withMaxLengthAtMost(int limit) {
    if (maxLength <= limit) {
      return this;
    }
    return new GenerationConfig(limit, Math.min(minLength, limit), minNewTokens, numBeams,
        lengthPenalty, earlyStopping, noRepeatNgramSize, repetitionPenalty, decoderStartTokenId,
        eosTokenIds, padTokenId, forcedBosTokenId, forcedEosTokenIds, badWordsIds,
        numReturnSequences, renormalizeLogits);
  }

  /** True when {@code token} is one of the eos ids. */
  public boolean isEos(int token) {
    for (int e : eosTokenIds) {
      if (e == token) {
        return true;
      }
    }
    return false;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Merges layers of Hugging Face JSON settings, lowest precedence first: typically model
   * {@code config.json}, {@code generation_config.json}, pipeline settings, per-record overrides.
   * Keys use the Hugging Face names; unknown keys are ignored (config.json holds model shape keys),
   * an explicit JSON null unsets a value, and a layer that sets either {@code max_length} or
   * {@code max_new_tokens} replaces both from lower layers (same for the min pair), so a per-record
   * limit always wins over a file's limit.
   */
  public static GenerationConfig fromLayers(List<? extends Map<String, ?>> layers) {
    Map<String, Object> merged = new LinkedHashMap<>();
    for (Map<String, ?> layer : layers) {
      if (layer == null) {
        continue;
      }
      replacePair(merged, layer, "max_length", "max_new_tokens");
      replacePair(merged, layer, "min_length", "min_new_tokens");
      merged.putAll(layer);
    }
    return builder().applyJson(merged).build();
  }

  private static void replacePair(Map<String, Object> merged, Map<String, ?> layer, String a, String b) {
    if (layer.containsKey(a) || layer.containsKey(b)) {
      merged.remove(a);
      merged.remove(b);
    }
  }

  private static void validate(int maxLength, int minLength, int minNewTokens, int numBeams,
      double lengthPenalty, int noRepeatNgramSize, double repetitionPenalty, int decoderStartTokenId,
      List<Integer> eos, OptionalInt pad, OptionalInt forcedBos, List<Integer> forcedEos,
      List<List<Integer>> badWords, int numReturnSequences) {
    if (maxLength < 2) {
      throw new InvalidGenerationConfigException("max_length is " + maxLength
          + " but must be at least 2 because it counts the decoder start token; set max_new_tokens >= 1 instead");
    }
    if (minLength < 0 || minNewTokens < 0) {
      throw new InvalidGenerationConfigException("min_length / min_new_tokens must not be negative (got "
          + minLength + " / " + minNewTokens + "); use 0 to disable");
    }
    if (numBeams < 1) {
      throw new InvalidGenerationConfigException("num_beams is " + numBeams
          + " but must be >= 1; use 1 for greedy search");
    }
    if (numReturnSequences < 1 || numReturnSequences > numBeams) {
      throw new InvalidGenerationConfigException("num_return_sequences is " + numReturnSequences
          + " but must be between 1 and num_beams (" + numBeams + "); raise num_beams or lower num_return_sequences");
    }
    if (!Double.isFinite(lengthPenalty)) {
      throw new InvalidGenerationConfigException("length_penalty must be a finite number but was "
          + lengthPenalty + "; 1.0 is neutral");
    }
    if (noRepeatNgramSize < 0) {
      throw new InvalidGenerationConfigException("no_repeat_ngram_size is " + noRepeatNgramSize
          + " but must be >= 0; use 0 to disable");
    }
    if (!(repetitionPenalty > 0) || !Double.isFinite(repetitionPenalty)) {
      throw new InvalidGenerationConfigException("repetition_penalty is " + repetitionPenalty
          + " but must be a positive finite number; use 1.0 to disable");
    }
    requireTokenId("decoder_start_token_id", decoderStartTokenId);
    for (int e : eos) {
      requireTokenId("eos_token_id", e);
    }
    if (pad.isPresent()) {
      requireTokenId("pad_token_id", pad.getAsInt());
    }
    if (forcedBos.isPresent()) {
      requireTokenId("forced_bos_token_id", forcedBos.getAsInt());
    }
    for (int e : forcedEos) {
      requireTokenId("forced_eos_token_id", e);
    }
    for (List<Integer> w : badWords) {
      if (w.isEmpty()) {
        throw new InvalidGenerationConfigException("bad_words_ids contains an empty list; remove it");
      }
      for (int t : w) {
        requireTokenId("bad_words_ids", t);
      }
    }
  }

  private static void requireTokenId(String key, int id) {
    if (id < 0) {
      throw new InvalidGenerationConfigException(key + " is " + id + " but token ids must be >= 0; fix "
          + key + " in the model files or the override");
    }
  }

  /** Mutable collector of settings; {@link #build()} resolves defaults the way Hugging Face does. */
  public static final class Builder {
    private Integer maxLength;
    private Integer maxNewTokens;
    private Integer minLength;
    private Integer minNewTokens;
    private int numBeams = 1;
    private double lengthPenalty = 1.0;
    private EarlyStopping earlyStopping = EarlyStopping.FALSE;
    private int noRepeatNgramSize;
    private double repetitionPenalty = 1.0;
    private Integer decoderStartTokenId;
    private Integer bosTokenId;
    private List<Integer> eosTokenIds = List.of();
    private Integer padTokenId;
    private Integer forcedBosTokenId;
    private List<Integer> forcedEosTokenIds = List.of();
    private List<List<Integer>> badWordsIds = List.of();
    private int numReturnSequences = 1;
    private boolean renormalizeLogits;

    private Builder() {
    }

    public Builder maxLength(int v) {
      maxLength = v;
      return this;
    }

    /** Takes precedence over {@link #maxLength(int)} like in Hugging Face. */
    public Builder maxNewTokens(int v) {
      maxNewTokens = v;
      return this;
    }

    public Builder minLength(int v) {
      minLength = v;
      return this;
    }

    /** Takes precedence over {@link #minLength(int)} like in Hugging Face. */
    public Builder minNewTokens(int v) {
      minNewTokens = v;
      return this;
    }

    public Builder numBeams(int v) {
      numBeams = v;
      return this;
    }

    public Builder lengthPenalty(double v) {
      lengthPenalty = v;
      return this;
    }

    public Builder earlyStopping(EarlyStopping v) {
      earlyStopping = Objects.requireNonNull(v);
      return this;
    }

    public Builder noRepeatNgramSize(int v) {
      noRepeatNgramSize = v;
      return this;
    }

    public Builder repetitionPenalty(double v) {
      repetitionPenalty = v;
      return this;
    }

    public Builder decoderStartTokenId(int v) {
      decoderStartTokenId = v;
      return this;
    }

    /** Used as the decoder start token when none is given, like Hugging Face. */
    public Builder bosTokenId(int v) {
      bosTokenId = v;
      return this;
    }

    public Builder eosTokenId(int... ids) {
      List<Integer> l = new ArrayList<>();
      for (int id : ids) {
        l.add(id);
      }
      eosTokenIds = l;
      return this;
    }

    public Builder padTokenId(int v) {
      padTokenId = v;
      return this;
    }

    public Builder forcedBosTokenId(int v) {
      forcedBosTokenId = v;
      return this;
    }

    public Builder forcedEosTokenId(int... ids) {
      List<Integer> l = new ArrayList<>();
      for (int id : ids) {
        l.add(id);
      }
      forcedEosTokenIds = l;
      return this;
    }

    public Builder badWordsIds(List<List<Integer>> v) {
      badWordsIds = List.copyOf(v);
      return this;
    }

    public Builder renormalizeLogits(boolean v) {
      renormalizeLogits = v;
      return this;
    }

    public Builder numReturnSequences(int v) {
      numReturnSequences = v;
      return this;
    }

    /** Applies one map of Hugging Face JSON keys on top of the current values. */
    public Builder applyJson(Map<String, ?> json) {
      JsonSettings.rejectUnsupported(json);
      for (Map.Entry<String, ?> e : json.entrySet()) {
        String key = e.getKey();
        Object v = e.getValue();
        switch (key) {
          case "max_length" -> maxLength = JsonSettings.optInt(key, v);
          case "max_new_tokens" -> maxNewTokens = JsonSettings.optInt(key, v);
          case "min_length" -> minLength = JsonSettings.optInt(key, v);
          case "min_new_tokens" -> minNewTokens = JsonSettings.optInt(key, v);
          case "num_beams" -> numBeams = v == null ? 1 : JsonSettings.optInt(key, v);
          case "length_penalty" -> lengthPenalty = v == null ? 1.0 : JsonSettings.toDouble(key, v);
          case "early_stopping" -> earlyStopping = v == null ? EarlyStopping.FALSE : EarlyStopping.fromJson(v);
          case "no_repeat_ngram_size" -> noRepeatNgramSize = v == null ? 0 : JsonSettings.optInt(key, v);
          case "repetition_penalty" -> repetitionPenalty = v == null ? 1.0 : JsonSettings.toDouble(key, v);
          case "decoder_start_token_id" -> decoderStartTokenId = JsonSettings.optInt(key, v);
          case "bos_token_id" -> bosTokenId = JsonSettings.optInt(key, v);
          case "eos_token_id" -> eosTokenIds = JsonSettings.intList(key, v);
          case "pad_token_id" -> padTokenId = JsonSettings.optInt(key, v);
          case "forced_bos_token_id" -> forcedBosTokenId = JsonSettings.optInt(key, v);
          case "forced_eos_token_id" -> forcedEosTokenIds = JsonSettings.intList(key, v);
          case "bad_words_ids" -> badWordsIds = JsonSettings.intLists(key, v);
          case "num_return_sequences" -> numReturnSequences = v == null ? 1 : JsonSettings.optInt(key, v);
          case "renormalize_logits" -> renormalizeLogits = Boolean.TRUE.equals(v);
          default -> {
            // Model shape keys (d_model, vocab_size, ...) and sampling-only keys share these files.
          }
        }
      }
      return this;
    }

    public GenerationConfig build() {
      if (maxNewTokens != null && maxNewTokens <= 0) {
        throw new InvalidGenerationConfigException("max_new_tokens is " + maxNewTokens
            + " but must be > 0; raise it or leave it unset");
      }
      int resolvedMax = maxNewTokens != null ? maxNewTokens + 1
          : maxLength != null ? maxLength : DEFAULT_MAX_NEW_TOKENS + 1;
      int resolvedMinNew = minNewTokens == null ? 0 : minNewTokens;
      int resolvedMin = minNewTokens != null ? minNewTokens + 1 : minLength == null ? 0 : minLength;
      Integer start = decoderStartTokenId != null ? decoderStartTokenId : bosTokenId;
      if (start == null) {
        throw new InvalidGenerationConfigException("decoder_start_token_id is not set (and there is no "
            + "bos_token_id to fall back to); set decoder_start_token_id in config.json, "
            + "generation_config.json or the pipeline settings");
      }
      OptionalInt pad = padTokenId != null ? OptionalInt.of(padTokenId)
          : eosTokenIds.isEmpty() ? OptionalInt.empty() : OptionalInt.of(eosTokenIds.get(0));
      OptionalInt forcedBos = forcedBosTokenId == null ? OptionalInt.empty() : OptionalInt.of(forcedBosTokenId);
      return new GenerationConfig(resolvedMax, resolvedMin, resolvedMinNew, numBeams, lengthPenalty,
          earlyStopping, noRepeatNgramSize, repetitionPenalty, start, eosTokenIds, pad, forcedBos,
          forcedEosTokenIds, badWordsIds, numReturnSequences, renormalizeLogits);
    }
  }
}
