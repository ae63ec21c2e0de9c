package dev.nlpstreams.text.language;

/**
 * The outcome of detection.
 *
 * @param language ISO 639-1 code, or null when the text gave too little evidence
 * @param confidence in [0, 1]: the share of the evidence that points to {@code language}
 * @param evidence how many words (or letters, for script-identified languages) were counted
 */
public record DetectedLanguage(String language, double confidence, int evidence) {

  static final DetectedLanguage UNKNOWN = new DetectedLanguage(null, 0.0, 0);

  public boolean known() {
    return language != null;
  }
}
