package dev.nlpstreams.schema;

import dev.nlpstreams.schema.avro.DeadLetter;
import dev.nlpstreams.schema.avro.Entities;
import dev.nlpstreams.schema.avro.Summary;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.avro.Translation;
import dev.nlpstreams.schema.avro.internal.BufferedRecord;

/** One shared codec per contract; codecs are thread-safe. */
public final class Codecs {
  public static final AvroCodec<TextEvent> TEXT_EVENT = new AvroCodec<>(TextEvent.getClassSchema());
  public static final AvroCodec<Entities> ENTITIES = new AvroCodec<>(Entities.getClassSchema());
  public static final AvroCodec<Translation> TRANSLATION =
      new AvroCodec<>(Translation.getClassSchema());
  public static final AvroCodec<Summary> SUMMARY = new AvroCodec<>(Summary.getClassSchema());
  public static final AvroCodec<DeadLetter> DEAD_LETTER =
      new AvroCodec<>(DeadLetter.getClassSchema());
  public static final AvroCodec<BufferedRecord> BUFFERED_RECORD =
      new AvroCodec<>(BufferedRecord.getClassSchema());

  private Codecs() {}
}
