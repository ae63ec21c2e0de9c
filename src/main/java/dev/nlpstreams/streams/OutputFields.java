package dev.nlpstreams.streams;

import dev.nlpstreams.schema.avro.Decoding;
import dev.nlpstreams.schema.avro.ModelInfo;
import dev.nlpstreams.schema.avro.SourceCoordinates;
import dev.nlpstreams.schema.avro.Timings;
import dev.nlpstreams.text.generation.GenerationConfig;
import dev.nlpstreams.text.task.ModelIdentity;
import java.time.Instant;
import java.util.Locale;

/**
 * Avro pieces shared by every task's output record (model, source coordinates, timings, decoding
 * settings), so that tasks in other packages fill them alike.
 */
public final class OutputFields {

  private OutputFields() {}

  public static Decoding decoding(GenerationConfig config) {
    return Decoding.newBuilder()
        .setNumBeams(config.numBeams())
        .setMaxNewTokens(config.maxLength() - 1)
        .setMinLength(config.minLength())
        .setLengthPenalty(config.lengthPenalty())
        .setEarlyStopping(config.earlyStopping().name().toLowerCase(Locale.ROOT))
        .setNoRepeatNgramSize(config.noRepeatNgramSize())
        .setRepetitionPenalty(config.repetitionPenalty())
        .setForcedBosTokenId(config.forcedBosTokenId().isPresent()
            ? config.forcedBosTokenId().getAsInt() : null)
        .build();
  }

  public static ModelInfo model(ModelIdentity identity) {
    return ModelInfo.newBuilder().setName(identity.name()).setVersion(identity.version())
        .setDevice(identity.device()).build();
  }

  public static SourceCoordinates source(PendingRecord record) {
    return SourceCoordinates.newBuilder()
        .setTopic(record.buffered().getSourceTopic())
        .setPartition(record.buffered().getSourcePartition())
        .setOffset(record.buffered().getSourceOffset())
        .setTimestamp(Instant.ofEpochMilli(record.buffered().getSourceTimestamp()))
        .build();
  }

  public static Timings timings(PendingRecord record, ModelBatchTask.BatchRun run) {
    return Timings.newBuilder()
        .setBufferedMs(Math.max(0, run.startedAtMs() - record.buffered().getEnqueuedAt()))
        .setInferenceMs(run.inferenceMs())
        .setBatchSize(run.batchSize())
        .build();
  }
}
