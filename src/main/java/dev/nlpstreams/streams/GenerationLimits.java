package dev.nlpstreams.streams;

/**
 * Bounds on what one record may ask of a seq2seq model, and how long inputs are cut.
 *
 * @param maxChunks most chunks one text is cut into
 * @param maxNumBeams largest per-record num_beams
 * @param maxNewTokens largest per-record max_new_tokens
 * @param maxSummaryRounds most summarize-the-summaries rounds
 */
public record GenerationLimits(int maxChunks, int maxNumBeams, int maxNewTokens,
    int maxSummaryRounds) {

  public GenerationLimits {
    if (maxChunks < 1 || maxNumBeams < 1 || maxNewTokens < 1 || maxSummaryRounds < 1) {
      throw new IllegalArgumentException("generation limits must be at least 1");
    }
  }

  public static GenerationLimits defaults() {
    return new GenerationLimits(256, 8, 512, 3);
  }
}
