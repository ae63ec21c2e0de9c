package dev.nlpstreams.schema.mapping;

/**
 * A per-task option a user's event may carry, and where it lands in TextEvent's {@code options}:
 * the section ({@code ner}, {@code translation}, {@code summary}), the field there and its type.
 * Each has its own {@code nlp.input.field.<settingSuffix>} path setting.
 */
public enum TaskOptionField {
  NER_AGGREGATION_STRATEGY("aggregation.strategy", "ner", "aggregation_strategy", Kind.STRING),
  NER_MODEL("ner.model", "ner", "model", Kind.STRING),
  TRANSLATION_TARGET_LANGUAGE("target.language", "translation", "target_language", Kind.STRING),
  TRANSLATION_MAX_NEW_TOKENS("translation.max.new.tokens", "translation", "max_new_tokens",
      Kind.INT),
  TRANSLATION_NUM_BEAMS("translation.num.beams", "translation", "num_beams", Kind.INT),
  TRANSLATION_MODEL("translation.model", "translation", "model", Kind.STRING),
  SUMMARY_MAX_NEW_TOKENS("summary.max.new.tokens", "summary", "max_new_tokens", Kind.INT),
  SUMMARY_MIN_LENGTH("summary.min.length", "summary", "min_length", Kind.INT),
  SUMMARY_NUM_BEAMS("summary.num.beams", "summary", "num_beams", Kind.INT),
  SUMMARY_MODEL("summary.model", "summary", "model", Kind.STRING);

  /** The value type TextEvent's schema gives the option (both nullable there). */
  public enum Kind { STRING, INT }

  private final String settingSuffix;
  private final String section;
  private final String field;
  private final Kind kind;

  TaskOptionField(String settingSuffix, String section, String field, Kind kind) {
    this.settingSuffix = settingSuffix;
    this.section = section;
    this.field = field;
    this.kind = kind;
  }

  /** What follows {@code nlp.input.field.} in the name of this option's path setting. */
  public String settingSuffix() {
    return settingSuffix;
  }

  /** The field of TextEvent's TaskOptions that holds this option's section. */
  public String section() {
    return section;
  }

  /** The option's field name in its section, as TextEvent's schema spells it. */
  public String field() {
    return field;
  }

  public Kind kind() {
    return kind;
  }

  /** For messages: {@code translation num_beams}. */
  public String label() {
    return section + " " + field;
  }
}
