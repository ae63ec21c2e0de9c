package dev.nlpstreams.text.generation;

/** What happens to the decoder rows of an item once its search is finished. */
public enum FinishedRows {
  /** Remove them, so finished items stop costing decoder work. */
  DROP,
  /** Keep them, padded, like Hugging Face's fixed batch shape (useful for static-shape graphs). */
  KEEP_PADDED
}
