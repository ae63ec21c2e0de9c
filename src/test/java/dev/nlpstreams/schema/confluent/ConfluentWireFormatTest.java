package dev.nlpstreams.schema.confluent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.registry.RecordedRegistry;
import dev.nlpstreams.schema.registry.RegistrySettings;
import dev.nlpstreams.schema.registry.HttpSchemaRegistryClient;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Golden bytes written by hand from Confluent's documented wire format (byte 0: magic 0; bytes
 * 1-4: schema id, big-endian; then the Avro binary encoding from the Avro specification: strings
 * as zig-zag varint length + UTF-8, a union as its branch index, an empty array or map as a 0
 * block count, an enum as its index).
 */
class ConfluentWireFormatTest {

  private static byte[] hex(String spaced) {
    return HexFormat.of().parseHex(spaced.replace(" ", ""));
  }

  private static final TextEvent MINIMAL = TextEvent.newBuilder().setEventId("e1").setText("hi")
      .build();
  /** id 0x01020304: e1, hi, language null, tasks [], options null, attributes {}, time null. */
  private static final byte[] MINIMAL_BYTES = hex("00 01020304 04 6531 04 6869 00 00 00 00 00");

  private static final TextEvent WITH_LANGUAGE_AND_TASK = TextEvent.newBuilder().setEventId("e1")
      .setText("hi").setLanguage("en").setTasks(List.of(Task.NER)).build();
  /** id 7: language is union branch 1 then "en"; tasks is one block of 1 item (NER = 1), end. */
  private static final byte[] WITH_LANGUAGE_AND_TASK_BYTES =
      hex("00 00000007 04 6531 04 6869 02 04 656e 02 02 00 00 00 00");

  @Test
  void frameWritesMagicByteAndBigEndianId() {
    assertThat(ConfluentWireFormat.frame(0x01020304, new byte[] {0x2A}))
        .isEqualTo(hex("00 01020304 2A"));
    assertThat(ConfluentWireFormat.schemaId(hex("00 7FFFFFFF"))).isEqualTo(Integer.MAX_VALUE);
    assertThat(ConfluentWireFormat.looksFramed(hex("C3 01"))).isFalse();
  }

  @Test
  void serializerWritesTheGoldenBytes() throws Exception {
    try (RecordedRegistry registry = new RecordedRegistry()) {
      registry.on("POST", "/subjects/events-value/versions", 200, "{\"id\":16909060}");
      RegistrySettings settings = RegistrySettings.from(Map.of("schema.registry.url",
          registry.url()));
      ConfluentAvroSerializer serializer =
          new ConfluentAvroSerializer(new HttpSchemaRegistryClient(settings), settings, false);

      assertThat(serializer.serialize("events", MINIMAL)).isEqualTo(MINIMAL_BYTES);
    }
  }

  @Test
  void readerDecodesTheGoldenBytes() throws Exception {
    try (RecordedRegistry registry = new RecordedRegistry()) {
      String schema = TextEvent.getClassSchema().toString().replace("\\", "\\\\")
          .replace("\"", "\\\"");
      registry.on("GET", "/schemas/ids/16909060", 200, "{\"schema\":\"" + schema + "\"}");
      registry.on("GET", "/schemas/ids/7", 200, "{\"schema\":\"" + schema + "\"}");
      ConfluentAvroReader reader = new ConfluentAvroReader(new HttpSchemaRegistryClient(
          RegistrySettings.from(Map.of("schema.registry.url", registry.url()))));

      assertThat(reader.read(MINIMAL_BYTES, TextEvent.getClassSchema(), true)).isEqualTo(MINIMAL);
      assertThat(reader.read(WITH_LANGUAGE_AND_TASK_BYTES, TextEvent.getClassSchema(), true))
          .isEqualTo(WITH_LANGUAGE_AND_TASK);
    }
  }
}
