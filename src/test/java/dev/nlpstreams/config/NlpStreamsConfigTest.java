package dev.nlpstreams.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nlpstreams.text.ner.AggregationStrategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NlpStreamsConfigTest {

  @Test
  void defaultsWork() {
    NlpStreamsConfig config = NlpStreamsConfig.of(Map.of());
    assertThat(config.inputTopic()).isEqualTo("text-events");
    assertThat(config.nerModel()).isEqualTo(NlpStreamsConfig.BUNDLED_NER_MODEL);
    assertThat(config.nerAggregationStrategy()).isEqualTo(AggregationStrategy.SIMPLE);
    assertThat(config.inferenceDevice()).isEqualTo(DeviceSpec.AUTO);
    assertThat(config.bootstrapServers()).isNull();
    assertThat(config.inferenceIntraOpThreads()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void fileThenEnvironmentThenOverrides(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("app.properties");
    Files.writeString(file, """
        nlp.batch.max.records=8
        nlp.batch.max.tokens=100
        bootstrap.servers=file:9092
        """);
    NlpStreamsConfig config = NlpStreamsConfig.load(file,
        Map.of("NLP_STREAMS_BATCH_MAX_TOKENS", "200", "KAFKA_BOOTSTRAP_SERVERS", "env:9092",
            "HOME", "/root"),
        Map.of("bootstrap.servers", "cli:9092"));
    assertThat(config.batchMaxRecords()).isEqualTo(8);
    assertThat(config.batchMaxTokens()).isEqualTo(200);
    assertThat(config.bootstrapServers()).isEqualTo("cli:9092");
    assertThat(config.streamsProperties("x:1").getProperty("application.id"))
        .isEqualTo("nlp-streams");
  }

  @Test
  void anImagesDefaultsFileGivesWayToTheOperatorsFileEnvironmentAndOverrides(@TempDir Path dir)
      throws Exception {
    Path defaults = dir.resolve("defaults.properties");
    Files.writeString(defaults, """
        nlp.admin.host=0.0.0.0
        nlp.admin.port=8080
        state.dir=/var/lib/nlp-streams/state
        nlp.batch.max.records=4
        """);
    Path file = dir.resolve("app.properties");
    Files.writeString(file, "state.dir=/data/streams\n");
    NlpStreamsConfig config = NlpStreamsConfig.load(defaults, file,
        Map.of("NLP_STREAMS_ADMIN_PORT", "9090"), Map.of("nlp.batch.max.records", "16"));

    assertThat(config.adminHost()).isEqualTo("0.0.0.0");
    assertThat(config.adminPort()).isEqualTo(9090);
    assertThat(config.streamsProperties("x:1").getProperty("state.dir"))
        .isEqualTo("/data/streams");
    assertThat(config.batchMaxRecords()).isEqualTo(16);
  }

  @Test
  void anEmptyBootstrapServersIsRefusedRatherThanTakenForNone() {
    assertThatThrownBy(() -> NlpStreamsConfig.load(null,
        Map.of("KAFKA_BOOTSTRAP_SERVERS", " "), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("bootstrap.servers is set but empty")
        .hasMessageContaining("embedded broker");
    assertThat(NlpStreamsConfig.load(null, Map.of(), Map.of()).bootstrapServers()).isNull();
  }

  @Test
  void unknownNlpSettingIsRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> NlpStreamsConfig.of(Map.of("nlp.batch.max.record", "3")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nlp.batch.max.record'")
        .hasMessageContaining("nlp.batch.max.records");
  }

  @Test
  void invalidValuesSayWhatIsAllowed() {
    assertThatThrownBy(() -> NlpStreamsConfig.of(Map.of("nlp.inference.device", "tpu")))
        .hasMessageContaining("cuda:N");
    assertThatThrownBy(() -> NlpStreamsConfig.of(Map.of("nlp.ner.aggregation.strategy", "median")))
        .hasMessageContaining("median");
    assertThatThrownBy(() -> NlpStreamsConfig.of(Map.of("nlp.batch.max.records", "0")))
        .hasMessageContaining("nlp.batch.max.records");
  }

  @Test
  void exactlyOnceStartsWithDefaults() {
    // Model runs happen on inference threads, so their deadlines no longer bound the transaction.
    NlpStreamsConfig config = NlpStreamsConfig.of(Map.of("processing.guarantee",
        "exactly_once_v2"));
    assertThat(config.isExactlyOnce()).isTrue();
    assertThat(NlpStreamsConfig.of(Map.of("nlp.generation.run.timeout.ms", "600000",
        "max.poll.interval.ms", "100000")).generationRunTimeoutMs()).isEqualTo(600_000);
  }

  @Test
  void maxRecordBytesFollowsTheProducerAndMayNotExceedIt() {
    assertThat(NlpStreamsConfig.of(Map.of()).maxRecordBytes()).isEqualTo(1_048_576 - 1_024);
    assertThat(NlpStreamsConfig.of(Map.of("producer.max.request.size", "4194304"))
        .maxRecordBytes()).isEqualTo(4_194_304 - 1_024);
    assertThatThrownBy(() -> NlpStreamsConfig.of(Map.of("nlp.max.record.bytes", "2000000")))
        .hasMessageContaining("max.request.size (1048576)");
    // As Kafka Streams resolves it: the producer. prefix beats the plain key.
    assertThat(NlpStreamsConfig.of(Map.of("max.request.size", "4194304",
        "producer.max.request.size", "524288")).maxRecordBytes()).isEqualTo(524_288 - 1_024);
    assertThatThrownBy(() -> NlpStreamsConfig.of(Map.of("max.request.size", "4194304",
        "producer.max.request.size", "524288", "nlp.max.record.bytes", "1000000")))
        .hasMessageContaining("max.request.size (524288)");
  }

  @Test
  void cleanShutdownLeavesTheGroupUnlessMembershipIsStatic() {
    assertThat(NlpStreamsConfig.of(Map.of()).streamsProperties("b:9092"))
        .containsEntry("internal.leave.group.on.close", true);
    assertThat(NlpStreamsConfig.of(Map.of("group.instance.id", "pod-0"))
        .streamsProperties("b:9092")).doesNotContainKey("internal.leave.group.on.close");
    assertThat(NlpStreamsConfig.of(Map.of("nlp.leave.group.on.close", "false"))
        .streamsProperties("b:9092")).doesNotContainKey("internal.leave.group.on.close");
  }

  @Test
  void theProducerLingers5MsUnlessTheUserSetsALinger() {
    assertThat(NlpStreamsConfig.of(Map.of()).streamsProperties("b:9092"))
        .containsEntry("producer.linger.ms", "5");
    assertThat(NlpStreamsConfig.of(Map.of("linger.ms", "50")).streamsProperties("b:9092"))
        .containsEntry("linger.ms", "50").doesNotContainKey("producer.linger.ms");
    assertThat(NlpStreamsConfig.of(Map.of("producer.linger.ms", "20"))
        .streamsProperties("b:9092")).containsEntry("producer.linger.ms", "20");
  }

  @Test
  void streamThreadsPoll10MsUnlessTheUserSetsPollMs() {
    assertThat(NlpStreamsConfig.of(Map.of()).streamsProperties("b:9092"))
        .containsEntry("poll.ms", "10");
    assertThat(NlpStreamsConfig.of(Map.of("poll.ms", "100")).streamsProperties("b:9092"))
        .containsEntry("poll.ms", "100");
  }

  @Test
  void onnxRuntimePoolThreadsDoNotSpinByDefault() {
    assertThat(NlpStreamsConfig.of(Map.of()).inferenceAllowSpinning()).isFalse();
    assertThat(NlpStreamsConfig.of(Map.of("nlp.inference.allow.spinning", "true"))
        .inferenceAllowSpinning()).isTrue();
  }

  @Test
  void strideMustLeaveWindowsRoomToAdvance() {
    assertThatThrownBy(() -> NlpStreamsConfig.of(Map.of("nlp.ner.max.length", "64",
        "nlp.ner.window.stride", "62")))
        .hasMessageContaining("nlp.ner.window.stride");
  }

  @Test
  void deviceSpecParsing() {
    assertThat(DeviceSpec.parse("CUDA:1")).isEqualTo(new DeviceSpec(DeviceSpec.Kind.CUDA, 1));
    assertThat(DeviceSpec.parse("cuda")).isEqualTo(new DeviceSpec(DeviceSpec.Kind.CUDA, 0));
    assertThat(DeviceSpec.parse(" cpu ")).isEqualTo(DeviceSpec.CPU);
    assertThatThrownBy(() -> DeviceSpec.parse("cuda:x")).hasMessageContaining("cuda:N");
  }

  @Test
  void markdownReferenceListsEverySetting() {
    String md = NlpStreamsConfig.markdownReference();
    for (String name : NlpStreamsConfig.CONFIG_DEF.names()) {
      assertThat(md).contains("`" + name + "`");
    }
  }

  @Test
  void translationModelsAreDirectionModelPairs() {
    NlpStreamsConfig config = NlpStreamsConfig.of(Map.of("nlp.translation.models",
        "en->de=/models/opus-mt-en-de, de-en=bundled:x ,*=/models/m2m"));
    assertThat(config.translationModels()).extracting(TranslationModelSpec::location)
        .containsExactly("/models/opus-mt-en-de", "bundled:x", "/models/m2m");
    assertThat(config.translationModels().get(1).pair().toString()).isEqualTo("de->en");
    assertThat(config.translationModels().get(2).pair()).isNull();
    assertThatThrownBy(() -> NlpStreamsConfig.of(Map.of("nlp.translation.models",
        "/models/opus-mt-en-de")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("en->de=bundled:marian-tiny-en-de");
  }

  @Test
  void generationOverridesAreOnlyTheSetOnes() {
    NlpStreamsConfig defaults = NlpStreamsConfig.of(Map.of());
    assertThat(defaults.translationGenerationOverrides()).isEmpty();
    assertThat(defaults.summarizationGenerationOverrides()).isEmpty();
    NlpStreamsConfig set = NlpStreamsConfig.of(Map.of("nlp.translation.num.beams", "4",
        "nlp.summarization.min.length", "0", "nlp.summarization.max.new.tokens", "60"));
    assertThat(set.translationGenerationOverrides()).containsExactly(Map.entry("num_beams", 4));
    assertThat(set.summarizationGenerationOverrides())
        .containsEntry("min_length", 0).containsEntry("max_new_tokens", 60).hasSize(2);
    assertThatThrownBy(() -> NlpStreamsConfig.of(Map.of("nlp.translation.num.beams", "0")))
        .hasMessageContaining("model default");
  }

  @Test
  void aConfiguredTaskNeedsAModel() {
    assertThatThrownBy(() -> NlpStreamsConfig.of(Map.of("nlp.translation.models", "")))
        .hasMessageContaining("nlp.translation.models is empty");
    assertThatThrownBy(() -> NlpStreamsConfig.of(Map.of("nlp.summarization.models", "")))
        .hasMessageContaining("nlp.summarization.models is empty");
    assertThat(NlpStreamsConfig.of(Map.of("nlp.tasks", "ner", "nlp.translation.models", ""))
        .tasks()).containsExactly(dev.nlpstreams.schema.avro.Task.NER);
    assertThatThrownBy(() -> NlpStreamsConfig.of(Map.of("nlp.tasks", "ner,sentiment")))
        .hasMessageContaining("nlp.tasks");
  }

  /** A plugged-in serializer never sees enriched records, so the mode would silently not apply. */
  @Test
  void enrichedOutputWithAPluggedInSerializerIsRefusedWithWhatToDo() {
    assertThatThrownBy(() -> NlpStreamsConfig.of(Map.of(
        NlpStreamsConfig.OUTPUT_MODE, "enriched",
        NlpStreamsConfig.SERDE_VALUE_SERIALIZER, "com.example.AvroSerializer")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nlp.output.mode=enriched cannot be combined with"
            + " nlp.serde.value.serializer=com.example.AvroSerializer")
        .hasMessageContaining("Leave nlp.serde.value.serializer empty")
        .hasMessageContaining("nlp.output.mode=results");
    // Each alone, and enriched with only a plugged-in deserializer, stay valid.
    assertThat(NlpStreamsConfig.of(Map.of(NlpStreamsConfig.OUTPUT_MODE, "enriched",
        NlpStreamsConfig.SERDE_VALUE_DESERIALIZER, "com.example.AvroDeserializer"))
        .enrichedOutput()).isTrue();
    assertThat(NlpStreamsConfig.of(Map.of(NlpStreamsConfig.SERDE_VALUE_SERIALIZER,
        "com.example.AvroSerializer")).valueSerializerClass())
        .isEqualTo("com.example.AvroSerializer");
  }
}
