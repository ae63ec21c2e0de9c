package dev.nlpstreams.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.seq2seq.OnnxTextGenerator;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.avro.DeadLetter;
import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.schema.avro.Summary;
import dev.nlpstreams.schema.avro.SummaryOptions;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TaskOptions;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.avro.Translation;
import dev.nlpstreams.schema.avro.TranslationOptions;
import dev.nlpstreams.testsupport.SharedKafkaBroker;
import dev.nlpstreams.text.generation.GenerationConfig;
import dev.nlpstreams.text.task.GenerationRequest;
import dev.nlpstreams.text.task.TextGenerator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Translation and summarization through the whole processor with the bundled tiny models on a real
 * KRaft broker: mixed tasks and target languages in one input topic land on the right topics with
 * the right routing, bad options become dead letters, and every output equals what the same model
 * gives when called directly.
 */
class GenerationPipelineIT {

  private static final int PARTITIONS = 3;
  private static final Path MARIAN = Path.of("models/tiny/marian-tiny-en-de");
  private static final Path M2M = Path.of("models/tiny/m2m-tiny-multilingual");
  private static final Path BART = Path.of("models/tiny/bart-tiny-summarizer");

  @TempDir
  Path stateDir;
  private final Map<String, String> topics = new HashMap<>();
  private NlpStreamsApp app;

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  private void start() throws Exception {
    for (String t : List.of("in", "entities", "translations", "summaries", "dlq")) {
      topics.put(t, SharedKafkaBroker.uniqueTopicName(t));
    }
    try (Admin admin = Admin.create(Map.of("bootstrap.servers",
        SharedKafkaBroker.bootstrapServers()))) {
      List<NewTopic> create = new ArrayList<>();
      topics.values().forEach(t -> create.add(new NewTopic(t, PARTITIONS, (short) 1)));
      admin.createTopics(create).all().get();
    }
    Map<String, String> settings = new HashMap<>();
    settings.put("bootstrap.servers", SharedKafkaBroker.bootstrapServers());
    settings.put("application.id", SharedKafkaBroker.uniqueTopicName("app"));
    settings.put("state.dir", stateDir.toString());
    settings.put("commit.interval.ms", "100");
    settings.put(NlpStreamsConfig.INPUT_TOPIC, topics.get("in"));
    settings.put(NlpStreamsConfig.ENTITIES_TOPIC, topics.get("entities"));
    settings.put(NlpStreamsConfig.TRANSLATIONS_TOPIC, topics.get("translations"));
    settings.put(NlpStreamsConfig.SUMMARIES_TOPIC, topics.get("summaries"));
    settings.put(NlpStreamsConfig.DEAD_LETTER_TOPIC, topics.get("dlq"));
    settings.put(NlpStreamsConfig.BATCH_MAX_WAIT_MS, "50");
    settings.put(NlpStreamsConfig.BATCH_MAX_RECORDS, "8");
    // Directories, not bundled names: the test compares with the same files loaded directly.
    settings.put(NlpStreamsConfig.TRANSLATION_MODELS, "en->de=" + MARIAN + ",*=" + M2M);
    settings.put(NlpStreamsConfig.SUMMARIZATION_MODELS, BART.toString());
    app = NlpStreamsApp.start(NlpStreamsConfig.of(settings));
    assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
  }

  private static TextEvent translate(String id, String text, String language, String target,
      Integer beams) {
    return TextEvent.newBuilder().setEventId(id).setText(text).setLanguage(language)
        .setTasks(List.of(Task.TRANSLATE))
        .setOptions(TaskOptions.newBuilder().setTranslation(TranslationOptions.newBuilder()
            .setTargetLanguage(target).setNumBeams(beams).build()).build())
        .build();
  }

  private static TextEvent summarize(String id, String text, String model) {
    return TextEvent.newBuilder().setEventId(id).setText(text).setLanguage("en")
        .setTasks(List.of(Task.SUMMARIZE))
        .setOptions(model == null ? null : TaskOptions.newBuilder()
            .setSummary(SummaryOptions.newBuilder().setModel(model).build()).build())
        .build();
  }

  private void produce(List<TextEvent> events) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (TextEvent e : events) {
        producer.send(new ProducerRecord<>(topics.get("in"), e.getEventId(),
            Codecs.TEXT_EVENT.encode(e))).get();
      }
    }
  }

  private List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected) {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, SharedKafkaBroker.uniqueTopicName("reader"));
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topics.get(topic)));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
      consumer.poll(Duration.ofMillis(500)).forEach(records::add);
    }
    return records;
  }

  /** The model's own answer for one request with its default settings (plus beams). */
  private static String direct(TextGenerator model, GenerationRequest request, Integer beams)
      throws Exception {
    List<Map<String, Object>> layers = new ArrayList<>(model.defaultLayers(request));
    if (beams != null) {
      layers.add(Map.of("num_beams", beams));
    }
    return model.generate(List.of(request), GenerationConfig.fromLayers(layers)).get(0).text();
  }

  @Test
  void mixedTasksAndLanguagesLandOnTheRightTopicsWithTheRightModels() throws Exception {
    start();
    List<TextEvent> events = new ArrayList<>();
    events.add(translate("en-de", "the dog runs.", "en", "de", null));
    events.add(translate("en-fr", "my old cat sleeps today.", "en", "fr", null));
    events.add(translate("de-en", "der Hund läuft.", "de", "en", null));
    events.add(translate("en-de-beams", "the teacher sees a red butterfly.", "en", "de", 4));
    events.add(translate("detected", "the young woman buys a red umbrella.", null, "fr", null));
    events.add(translate("bad-target", "the dog runs.", "en", "ja", null));
    events.add(translate("bad-beams", "the dog runs.", "en", "de", 99));
    events.add(summarize("summary", "A young woman buys your dangerous umbrella again."
        + " The dog runs. The bird sings.", null));
    events.add(summarize("bad-summarizer", "the dog runs. the cat sleeps.", "nope"));
    events.add(TextEvent.newBuilder().setEventId("all-tasks").setLanguage("en")
        .setText("the dog runs. the cat sleeps.").build());
    produce(events);

    Map<String, Translation> translations = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : read("translations", 6)) {
      Translation t = Codecs.TRANSLATION.decode(r.value());
      assertThat(new String(r.key())).isEqualTo(t.getEventId());
      assertThat(translations.put(t.getEventId(), t)).as("duplicate " + t.getEventId()).isNull();
    }
    assertThat(translations.keySet()).containsExactlyInAnyOrder("en-de", "en-fr", "de-en",
        "en-de-beams", "detected", "all-tasks");
    Map<String, Summary> summaries = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : read("summaries", 2)) {
      Summary s = Codecs.SUMMARY.decode(r.value());
      summaries.put(s.getEventId(), s);
    }
    assertThat(summaries.keySet()).containsExactlyInAnyOrder("summary", "all-tasks");
    assertThat(read("entities", 1)).hasSize(1);
    Map<String, DeadLetter> dead = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : read("dlq", 3)) {
      DeadLetter d = Codecs.DEAD_LETTER.decode(r.value());
      dead.put(d.getEventId(), d);
    }
    assertThat(dead.keySet()).containsExactlyInAnyOrder("bad-target", "bad-beams",
        "bad-summarizer");
    assertThat(dead.get("bad-target").getReason()).isEqualTo(ReasonCode.UNSUPPORTED_LANGUAGE);
    assertThat(dead.get("bad-target").getErrorMessage()).contains("'ja'", "marian-tiny-en-de");
    assertThat(dead.get("bad-beams").getReason()).isEqualTo(ReasonCode.UNSUPPORTED_OPTION);
    assertThat(dead.get("bad-summarizer").getReason()).isEqualTo(ReasonCode.UNSUPPORTED_OPTION);
    assertThat(dead.values()).allSatisfy(d -> {
      assertThat(d.getSourceTopic()).isEqualTo(topics.get("in"));
      assertThat(d.getSourceOffset()).isNotNegative();
    });

    assertThat(translations.get("en-de").getModel().getName()).isEqualTo("marian-tiny-en-de");
    assertThat(translations.get("en-de-beams").getModel().getName())
        .isEqualTo("marian-tiny-en-de");
    assertThat(translations.get("en-de-beams").getDecoding().getNumBeams()).isEqualTo(4);
    assertThat(translations.get("en-fr").getModel().getName())
        .isEqualTo("m2m-tiny-multilingual");
    assertThat(translations.get("de-en").getModel().getName())
        .isEqualTo("m2m-tiny-multilingual");
    assertThat(translations.get("detected").getSourceLanguage()).isEqualTo("en");
    assertThat(translations.get("detected").getSourceLanguageDetected()).isTrue();
    assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);

    // Every output is exactly what the model says when called directly.
    InferenceSettings cpu = InferenceSettings.cpuDefaults();
    try (OnnxTextGenerator marian = OnnxTextGenerator.load(MARIAN, "marian", cpu);
        OnnxTextGenerator m2m = OnnxTextGenerator.load(M2M, "m2m", cpu);
        OnnxTextGenerator bart = OnnxTextGenerator.load(BART, "bart", cpu)) {
      assertThat(translations.get("en-de").getText()).isEqualTo(direct(marian,
          GenerationRequest.translate("the dog runs.", "en", "de"), null));
      assertThat(translations.get("en-de-beams").getText()).isEqualTo(direct(marian,
          GenerationRequest.translate("the teacher sees a red butterfly.", "en", "de"), 4));
      assertThat(translations.get("en-fr").getText()).isEqualTo(direct(m2m,
          GenerationRequest.translate("my old cat sleeps today.", "en", "fr"), null));
      assertThat(translations.get("de-en").getText()).isEqualTo(direct(m2m,
          GenerationRequest.translate("der Hund läuft.", "de", "en"), null));
      // Translated sentence by sentence, stitched with the original gap.
      assertThat(translations.get("all-tasks").getText()).isEqualTo(direct(marian,
          GenerationRequest.translate("the dog runs.", "en", "de"), null) + " "
          + direct(marian, GenerationRequest.translate("the cat sleeps.", "en", "de"), null));
      assertThat(translations.get("all-tasks").getChunkCount()).isEqualTo(2);
      assertThat(summaries.get("summary").getText()).isEqualTo(direct(bart,
          GenerationRequest.summarize("A young woman buys your dangerous umbrella again."
              + " The dog runs. The bird sings."), null));
    }
    assertThat(translations.get("en-de").getText()).isNotBlank();
    assertThat(summaries.get("summary").getText()).isNotBlank();
  }
}
