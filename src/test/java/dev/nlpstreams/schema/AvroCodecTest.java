package dev.nlpstreams.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SystemLimitException;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class AvroCodecTest {

  private static TextEvent sample() {
    return TextEvent.newBuilder().setEventId("id-1").setText("Zoë 😀 東京")
        .setTasks(List.of(Task.NER)).build();
  }

  @Test
  void roundTripsWithSingleObjectMarker() throws Exception {
    byte[] bytes = Codecs.TEXT_EVENT.encode(sample());
    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    assertThat(Codecs.TEXT_EVENT.decode(bytes)).isEqualTo(sample());
  }

  @Test
  void confluentFramingIsRecognisedAndExplained() {
    assertThatThrownBy(() -> Codecs.TEXT_EVENT.decode(new byte[] {0, 0, 0, 1, 7, 2}))
        .isInstanceOf(PayloadException.class)
        .hasMessageContaining("schema id 263")
        .satisfies(e -> assertThat(((PayloadException) e).reason())
            .isEqualTo(ReasonCode.UNKNOWN_SCHEMA));
  }

  @Test
  void wrongMagicIsMalformed() {
    assertThatThrownBy(() -> Codecs.TEXT_EVENT.decode("{\"json\":1}".getBytes()))
        .isInstanceOf(PayloadException.class)
        .hasMessageContaining("expected marker C3 01")
        .satisfies(e -> assertThat(((PayloadException) e).reason())
            .isEqualTo(ReasonCode.MALFORMED_PAYLOAD));
    assertThatThrownBy(() -> Codecs.TEXT_EVENT.decode(new byte[0]))
        .hasMessageContaining("empty payload");
  }

  @Test
  void unknownWriterSchemaIsReported() throws Exception {
    Schema other = SchemaBuilder.record("Other").fields().requiredString("x").endRecord();
    GenericRecord record = new GenericData.Record(other);
    record.put("x", "y");
    byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), other)
        .encode(record).array();
    assertThatThrownBy(() -> Codecs.TEXT_EVENT.decode(bytes))
        .satisfies(e -> assertThat(((PayloadException) e).reason())
            .isEqualTo(ReasonCode.UNKNOWN_SCHEMA));
  }

  @Test
  void aHugeDeclaredLengthIsRefusedByAvrosLimitNotAllocated() {
    // The marker and fingerprint of a real TextEvent, then its first field (event_id) declared
    // 2,000,000,000 bytes long.
    byte[] header = Arrays.copyOf(Codecs.TEXT_EVENT.encode(sample()), 10);
    byte[] payload = AvroTestBytes.concat(header, AvroTestBytes.zigZagLong(2_000_000_000L));

    assertThatThrownBy(() -> Codecs.TEXT_EVENT.decode(payload))
        .isInstanceOfSatisfying(PayloadException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.MALFORMED_PAYLOAD))
        .hasRootCauseInstanceOf(SystemLimitException.class);
  }

  @Test
  void corruptBodiesNeverEscapeAsRuntimeExceptions() {
    byte[] valid = Codecs.TEXT_EVENT.encode(sample());
    Random random = new Random(1);
    for (int trial = 0; trial < 2_000; trial++) {
      byte[] corrupt = Arrays.copyOf(valid, 11 + random.nextInt(valid.length - 10));
      for (int flips = 0; flips < 3; flips++) {
        int at = 10 + random.nextInt(corrupt.length - 10);
        corrupt[at] = (byte) random.nextInt(256);
      }
      try {
        Codecs.TEXT_EVENT.decode(corrupt);
      } catch (PayloadException e) {
        assertThat(e.reason()).isIn(ReasonCode.MALFORMED_PAYLOAD, ReasonCode.UNKNOWN_SCHEMA);
      }
    }
  }

  @Test
  void olderWriterSchemaIsResolvedWhenRegistered() throws Exception {
    // A producer still on a first version of TextEvent without attributes or options.
    Schema v1 = new Schema.Parser().parse("""
        {"type":"record","name":"TextEvent","namespace":"dev.nlpstreams.schema.avro",
         "fields":[{"name":"event_id","type":"string"},{"name":"text","type":"string"}]}""");
    GenericRecord old = new GenericData.Record(v1);
    old.put("event_id", "old-1");
    old.put("text", "Ann");
    byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old)
        .array();
    AvroCodec<TextEvent> codec = new AvroCodec<TextEvent>(TextEvent.getClassSchema())
        .acceptingWriterSchema(v1);
    TextEvent decoded = codec.decode(bytes);
    assertThat(decoded.getEventId()).isEqualTo("old-1");
    assertThat(decoded.getTasks()).isEmpty();
    assertThat(decoded.getAttributes()).isEmpty();
  }
}
