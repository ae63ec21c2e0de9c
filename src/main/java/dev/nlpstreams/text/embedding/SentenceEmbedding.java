package dev.nlpstreams.text.embedding;

/**
 * The sentence vector of one text. Like every record holding an array, equals and hashCode compare
 * the vector by identity; compare vectors with {@link java.util.Arrays#equals(float[], float[])}.
 *
 * @param vector the pooled (and, when the embedder normalises, unit-length) vector; owned by the
 *     caller, who must not share it if it intends to change it
 * @param tokenCount tokens the model read, special tokens included
 * @param truncated true when the text was longer than the model reads and its end was left out
 */
public record SentenceEmbedding(float[] vector, int tokenCount, boolean truncated) {
  public SentenceEmbedding {
    java.util.Objects.requireNonNull(vector, "vector");
  }
}
