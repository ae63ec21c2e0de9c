package dev.nlpstreams.app.tasks;

import dev.nlpstreams.schema.avro.Embedding;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.streams.ModelBatchTask;
import dev.nlpstreams.streams.OutputFields;
import dev.nlpstreams.streams.PendingRecord;
import dev.nlpstreams.text.embedding.SentenceEmbedder;
import dev.nlpstreams.text.embedding.SentenceEmbedding;
import dev.nlpstreams.text.task.InferenceException;
import java.util.ArrayList;
import java.util.List;

/**
 * Embeds a batch of texts with a Sentence-Transformers model and encodes one {@link Embedding}
 * record per input: the pooled (by default normalised) vector, its width and how it was pooled.
 */
final class EmbedBatchTask extends ModelBatchTask<SentenceEmbedding> {

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
  protected List<SentenceEmbedding> infer(List<PendingRecord> batch, long timeoutMs)
      throws InferenceException {
    return embedder.embed(batch.stream().map(record -> record.event().getText()).toList(),
        timeoutMs);
  }

  @Override
  protected Embedding assemble(PendingRecord record, SentenceEmbedding embedding, BatchRun run) {
    List<Float> vector = new ArrayList<>(embedding.vector().length);
    for (float value : embedding.vector()) {
      vector.add(value);
    }
    return Embedding.newBuilder()
        .setEventId(record.event().getEventId())
        .setVector(vector)
        .setDimension(vector.size())
        .setNormalized(embedder.normalizes())
        .setPooling(embedder.pooling().label())
        .setModel(OutputFields.model(embedder.identity()))
        .setTokenCount(embedding.tokenCount())
        .setTruncated(embedding.truncated())
        .setTimings(OutputFields.timings(record, run))
        .setSource(OutputFields.source(record))
        .setAttributes(record.event().getAttributes())
        .build();
  }
}
