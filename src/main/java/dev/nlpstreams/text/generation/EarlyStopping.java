package dev.nlpstreams.text.generation;

/** Hugging Face {@code early_stopping}: {@code true}, {@code false} or {@code "never"} for beam search. */
public enum EarlyStopping {
  /** Stop an item as soon as {@code num_beams} hypotheses are finished. */
  TRUE,
  /** Stop when the best running beam, scored at the current length, cannot beat the worst kept one. */
  FALSE,
  /** Like FALSE, but with a positive length penalty the best running beam is scored at max_length. */
  NEVER;

  /** Parses the JSON value: a boolean or the string "never" (case-insensitive, "true"/"false" too). */
  static EarlyStopping fromJson(Object value) {
    if (value instanceof Boolean b) {
      return b ? TRUE : FALSE;
    }
    if (value instanceof String s) {
      switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "never":
          return NEVER;
        case "true":
          return TRUE;
        case "false":
          return FALSE;
        default:
          break;
      }
    }
    throw new InvalidGenerationConfigException("early_stopping must be true, false or \"never\" but was "
        + value + "; set it to one of those three values");
  }
}
