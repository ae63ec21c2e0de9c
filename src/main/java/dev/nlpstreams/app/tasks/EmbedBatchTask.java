package dev.nlpstreams.app.tasks;

import dev.nlpstreams.schema.avro.Embedding;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.streams.BatchTask;
import dev.nlpstreams.streams.OutputFields;
import dev.nlpstreams.streams.PendingRecord;
import dev.nlpstreams.text.embedding.SentenceEmbedder;
import dev.nlpstreams.text.embedding.SentenceEmbedding;
import dev.nlpstreams.text.task.InferenceException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Embeds a batch of texts with a Sentence-Transformers model and encodes one {@link Embedding}
 * record per input: the pooled (by default normalised) vector, its width and how it was pooled.
 */
final class EmbedBatchTask implements BatchTask {

  private final SentenceEmbedder embedder;
  private final String outputNode;
  private final long runTimeoutMs;

  EmbedBatchTask(SentenceEmbedder embedder, String outputNode, long runTimeoutMs) {
    this.embedder = embedder;
    this.outputNode = outputNode;
    this.runTimeoutMs = runTimeoutMs;
  }

  @Override
  public Task task() {
    return Task.EMBED;
  }

  @Override
  public String outputNode() {
    return outputNode;
  }

  @Override
  public long runTimeoutMs() {
    return runTimeoutMs;
  }

  @Override
  public int countTokens(TextEvent event) {
    return embedder.countTokens(event.getText());
  }

  @Override
  public List<SpecificRecord> run(List<PendingRecord> batch, long timeoutMs)
      throws InferenceException {
    long startedMs = System.currentTimeMillis();
    long started = System.nanoTime();
    List<String> texts = batch.stream().map(record -> record.event().getText()).toList();
    List<SentenceEmbedding> embeddings = embedder.embed(texts, timeoutMs);
    if (embeddings.size() != batch.size()) {
      throw new InferenceException("The embedder returned " + embeddings.size()
          + " vectors for " + batch.size() + " texts");
    }
    long inferenceMs = (System.nanoTime() - started) / 1_000_000;
    List<SpecificRecord> encoded = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      PendingRecord record = batch.get(i);
      SentenceEmbedding embedding = embeddings.get(i);
      List<Float> vector = new ArrayList<>(embedding.vector().length);
      for (float value : embedding.vector()) {
        vector.add(value);
      }
      encoded.add(Embedding.newBuilder()
          .setEventId(record.event().getEventId())
          .setVector(vector)
          .setDimension(vector.size())
          .setNormalized(embedder.normalizes())
          .setPooling(embedder.pooling().label())
          .setModel(OutputFields.model(embedder.identity()))
          .setTokenCount(embedding.tokenCount())
          .setTruncated(embedding.truncated())
          .setTimings(OutputFields.timings(record, startedMs, inferenceMs, batch.size()))
          .setSource(OutputFields.source(record))
          .setAttributes(record.event().getAttributes())
          .build());
    }
    return encoded;
  }
}
