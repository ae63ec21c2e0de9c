package dev.nlpstreams.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.OutputFraming;
import dev.nlpstreams.schema.PayloadException;
import dev.nlpstreams.schema.avro.DeadLetter;
import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.confluent.ConfluentAvroReader;
import dev.nlpstreams.schema.confluent.ConfluentAvroSerializer;
import dev.nlpstreams.schema.confluent.ConfluentWireFormat;
import dev.nlpstreams.schema.mapping.FieldMapping;
import dev.nlpstreams.schema.mapping.TaskOptionField;
import dev.nlpstreams.schema.registry.HttpSchemaRegistryClient;
import dev.nlpstreams.schema.registry.RecordedRegistry;
import dev.nlpstreams.schema.registry.RegistrySettings;
import dev.nlpstreams.schema.registry.RegistryUnavailableException;
import dev.nlpstreams.streams.InputRecord;
import dev.nlpstreams.streams.OutputValue;
import dev.nlpstreams.streams.SingleObjectSerializer;
import dev.nlpstreams.streams.SourceRecordInfo;
import dev.nlpstreams.streams.TopologyIo;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class WireFormatsTest {

  private static final TextEvent EVENT = TextEvent.newBuilder().setEventId("e1").setText("hi")
      .build();

  private static InputRecord record(byte[] value) {
    return new InputRecord("in", 0, 5L, 0L, new RecordHeaders(), null, value);
  }

  @Test
  void withoutARegistryEverythingStaysSingleObject() throws Exception {
    TopologyIo io = WireFormats.topologyIo(NlpStreamsConfig.of(Map.of()));

    assertThat(io.output()).isInstanceOf(SingleObjectSerializer.class);
    assertThat(io.input().decode(record(Codecs.TEXT_EVENT.encode(EVENT)))).isEqualTo(EVENT);
    assertThatThrownBy(() -> io.input().decode(record(new byte[] {0, 0, 0, 0, 1, 0})))
        .isInstanceOfSatisfying(PayloadException.class,
            e -> assertThat(e.reason()).isEqualTo(ReasonCode.UNKNOWN_SCHEMA))
        .hasMessageContaining("no schema registry is configured");
  }

  /** Each per-task option has its own nlp.input.field.* setting, and the mapping uses it. */
  @Test
  void everyTaskOptionPathSettingReachesTheMapping() {
    Map<String, Object> settings = new HashMap<>(Map.of(NlpStreamsConfig.INPUT_FORMAT, "mapped"));
    for (TaskOptionField option : TaskOptionField.values()) {
      settings.put(NlpStreamsConfig.INPUT_FIELD_PREFIX + option.settingSuffix(),
          "o." + option.name().toLowerCase(Locale.ROOT));
    }

    FieldMapping mapping = WireFormats.fieldMapping(NlpStreamsConfig.of(settings));

    assertThat(mapping.options()).hasSize(TaskOptionField.values().length);
    mapping.options().forEach((option, path) ->
        assertThat(path.path()).isEqualTo("o." + option.name().toLowerCase(Locale.ROOT)));
    assertThat(NlpStreamsConfig.INPUT_FIELD_SUMMARY_MIN_LENGTH)
        .isEqualTo(NlpStreamsConfig.INPUT_FIELD_PREFIX
            + TaskOptionField.SUMMARY_MIN_LENGTH.settingSuffix());
    assertThatThrownBy(() -> WireFormats.fieldMapping(NlpStreamsConfig.of(Map.of(
        NlpStreamsConfig.INPUT_FIELD_TRANSLATION_NUM_BEAMS, "opts..beams"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("opts..beams");
  }

  @Test
  void confluentOutputWithoutARegistryIsRefused() {
    assertThatThrownBy(() -> WireFormats.topologyIo(NlpStreamsConfig.of(Map.of(
        NlpStreamsConfig.OUTPUT_FRAMING, "confluent"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("schema.registry.url");
  }

  @Test
  void withARegistryBothFramingsAreReadAndOutputIsConfluentFramed() throws Exception {
    try (RecordedRegistry registry = new RecordedRegistry()) {
      registry.on("POST", "/subjects/in-value/versions", 200, "{\"id\":12}");
      registry.on("POST", "/subjects/dlq-value/versions", 200, "{\"id\":13}");
      RegistrySettings settings = RegistrySettings.from(Map.of("schema.registry.url",
          registry.url()));
      HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(settings);
      TopologyIo io = WireFormats.topologyIo(client, settings,
          OutputFraming.AUTO.resolve(true), null, false);
      byte[] framed = new ConfluentAvroSerializer(client, settings, false).serialize("in", EVENT);

      assertThat(io.input().decode(record(framed))).isEqualTo(EVENT);
      assertThat(io.input().decode(record(Codecs.TEXT_EVENT.encode(EVENT)))).isEqualTo(EVENT);

      DeadLetter letter = DeadLetter.newBuilder().setSourceTopic("in").setSourcePartition(0)
          .setSourceOffset(1).setSourceTimestamp(java.time.Instant.ofEpochMilli(5))
          .setReason(ReasonCode.MALFORMED_PAYLOAD).build();
      byte[] written = io.output().serialize("dlq", new OutputValue(letter,
          new SourceRecordInfo("in", 0, 1, 0, null, new byte[] {1})));
      assertThat(ConfluentWireFormat.schemaId(written)).isEqualTo(13);
      assertThat(new ConfluentAvroReader(client).read(written, DeadLetter.getClassSchema(), true))
          .isEqualTo(letter);
    }
  }

  @Test
  void anUnreachableRegistryIsRetriableNeverADeadLetter() throws Exception {
    RecordedRegistry registry = new RecordedRegistry();
    registry.close();
    RegistrySettings settings = RegistrySettings.from(Map.of("schema.registry.url",
        registry.url(), "max.retries", "1", "retries.wait.ms", "5", "retries.max.wait.ms", "5"));
    TopologyIo io = WireFormats.topologyIo(new HttpSchemaRegistryClient(settings), settings,
        OutputFraming.CONFLUENT, null, false);

    assertThatThrownBy(() -> io.input().decode(record(new byte[] {0, 0, 0, 0, 1, 0})))
        .isInstanceOf(RegistryUnavailableException.class)
        .isInstanceOf(RetriableException.class);
  }
}
