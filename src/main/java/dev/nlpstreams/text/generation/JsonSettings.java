package dev.nlpstreams.text.generation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads Hugging Face JSON values as parsed by any JSON library (Number, Boolean, String, List). */
final class JsonSettings {
  private JsonSettings() {
  }

  static Integer optInt(String key, Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
        return (int) d;
      }
    }
    throw new InvalidGenerationConfigException(key + " must be an integer but was " + v
        + " (" + v.getClass().getSimpleName() + "); write it as a whole JSON number");
  }

  static double toDouble(String key, Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new InvalidGenerationConfigException(key + " must be a number but was " + v
        + "; write it as a JSON number");
  }

  static List<Integer> intList(String key, Object v) {
    if (v == null) {
      return List.of();
    }
    if (v instanceof List<?> l) {
      List<Integer> out = new ArrayList<>();
      for (Object o : l) {
        out.add(optIntRequired(key, o));
      }
      return out;
    }
    return List.of(optIntRequired(key, v));
  }

  static List<List<Integer>> intLists(String key, Object v) {
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> outer)) {
      throw new InvalidGenerationConfigException(key + " must be a list of token id lists but was " + v);
    }
    List<List<Integer>> out = new ArrayList<>();
    for (Object o : outer) {
      if (!(o instanceof List<?>)) {
        throw new InvalidGenerationConfigException(key + " must be a list of token id lists but contains " + o);
      }
      out.add(intList(key, o));
    }
    return out;
  }

  private static int optIntRequired(String key, Object v) {
    Integer i = optInt(key, v);
    if (i == null) {
      throw new InvalidGenerationConfigException(key + " contains null; remove it");
    }
    return i;
  }

  /**
   * Settings that change Hugging Face's output but that this search does not implement. Failing is
   * better than silently producing something else; default-valued entries (which config.json files
   * carry) pass.
   */
  static void rejectUnsupported(Map<String, ?> json) {
    Object doSample = json.get("do_sample");
    if (Boolean.TRUE.equals(doSample)) {
      unsupported("do_sample=true (sampling)", "set do_sample to false");
    }
    Object groups = json.get("num_beam_groups");
    if (groups instanceof Number n && n.intValue() > 1) {
      unsupported("num_beam_groups=" + groups + " (diverse beam search)", "set num_beam_groups to 1");
    }
    rejectNonZero(json, "diversity_penalty");
    rejectNonZero(json, "encoder_no_repeat_ngram_size");
    rejectNonNull(json, "penalty_alpha");
    rejectNonNull(json, "force_words_ids");
    rejectNonNull(json, "constraints");
    rejectNonNull(json, "sequence_bias");
    rejectNonNull(json, "exponential_decay_length_penalty");
    rejectNonEmpty(json, "suppress_tokens");
    rejectNonEmpty(json, "begin_suppress_tokens");
    Object erp = json.get("encoder_repetition_penalty");
    if (erp instanceof Number n && n.doubleValue() != 1.0) {
      unsupported("encoder_repetition_penalty=" + erp, "set it to 1.0 or remove it");
    }
    Object gs = json.get("guidance_scale");
    if (gs instanceof Number n && n.doubleValue() != 1.0) {
      unsupported("guidance_scale=" + gs, "remove it");
    }
  }

  private static void rejectNonZero(Map<String, ?> json, String key) {
    Object v = json.get(key);
    if (v instanceof Number n && n.doubleValue() != 0.0) {
      unsupported(key + "=" + v, "set it to 0 or remove it");
    }
  }

  private static void rejectNonNull(Map<String, ?> json, String key) {
    if (json.get(key) != null) {
      unsupported(key, "remove it");
    }
  }

  private static void rejectNonEmpty(Map<String, ?> json, String key) {
    Object v = json.get(key);
    if (v != null && !(v instanceof List<?> l && l.isEmpty())) {
      unsupported(key + "=" + v, "remove it");
    }
  }

  private static void unsupported(String what, String fix) {
    throw new InvalidGenerationConfigException(what + " is not supported by this generation search; "
        + fix + " in the pipeline settings or per-record override");
  }
}
