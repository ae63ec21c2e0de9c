package dev.nlpstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.avro.DeadLetter;
import dev.nlpstreams.schema.avro.Entities;
import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.schema.avro.Summary;
import dev.nlpstreams.schema.avro.SummaryOptions;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TaskOptions;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.avro.Translation;
import dev.nlpstreams.schema.avro.TranslationOptions;
import dev.nlpstreams.text.batch.FlushPolicy;
import dev.nlpstreams.text.task.GenerationRequest;
import dev.nlpstreams.text.translation.LanguagePair;
import dev.nlpstreams.text.translation.TranslationModelCapabilities;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Translation and summarization in the topology with fake models: routing by language, dead letters
 * for what no model can do, compatible batching, long inputs, failure isolation, all three tasks
 * from one input topic.
 */
class GenerationTopologyTest {

  private static final Topics TOPICS =
      new Topics("in", "entities", "translations", "summaries", "dlq");
  private static final int MAX_RECORDS = 4;
  private static final long MAX_WAIT_MS = 200;
  /** Tokens a fake model reads: 11 words plus the end-of-sequence token. */
  private static final int MAX_SOURCE_TOKENS = 12;

  private final FakeRecognizer recognizer = new FakeRecognizer();
  private final FakeGenerator marian = new FakeGenerator("marian-en-de", MAX_SOURCE_TOKENS, Set.of());
  private final FakeGenerator multilingual =
      new FakeGenerator("m2m", MAX_SOURCE_TOKENS, Set.of("en", "de", "fr"));
  private final FakeGenerator summarizer = new FakeGenerator("summarizer", MAX_SOURCE_TOKENS,
      Set.of(), Map.of("max_length", 13));
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> input;
  private TestOutputTopic<String, byte[]> translations;
  private TestOutputTopic<String, byte[]> summaries;
  private TestOutputTopic<String, byte[]> entities;
  private TestOutputTopic<byte[], byte[]> deadLetters;

  @BeforeEach
  void start() {
    NlpTopology.Settings settings = new NlpTopology.Settings("test-app", TOPICS,
        Set.of(Task.NER, Task.TRANSLATE, Task.SUMMARIZE), 100_000,
        new FlushPolicy(MAX_RECORDS, 10_000, MAX_WAIT_MS), 1024,
        new GenerationLimits(6, 4, 64, 3), 5_000, 60_000,
        NlpTopology.Settings.DEFAULT_MAX_RECORD_BYTES);
    Map<String, dev.nlpstreams.text.task.TextGenerator> translators = new LinkedHashMap<>();
    translators.put("m2m", multilingual);
    translators.put("marian-en-de", marian);
    TaskEngines engines = new TaskEngines(recognizer, translators, List.of(
        new TranslationModelCapabilities("m2m", Set.of(), multilingual.languages()),
        new TranslationModelCapabilities("marian-en-de", Set.of(LanguagePair.parse("en->de")),
            Set.of())),
        Map.of("summarizer", summarizer));
    driver = TopologyTests.driver(engines.topology(settings));
    input = driver.createInputTopic("in", new ByteArraySerializer(), new ByteArraySerializer());
    translations = TopologyTests.keyedOutput(driver, "translations");
    summaries = TopologyTests.keyedOutput(driver, "summaries");
    entities = TopologyTests.keyedOutput(driver, "entities");
    deadLetters = TopologyTests.deadLetterOutput(driver, "dlq");
  }

  @AfterEach
  void close() {
    driver.close();
  }

  private static TextEvent.Builder translate(String id, String text, String language,
      TranslationOptions options) {
    return TextEvent.newBuilder().setEventId(id).setText(text).setLanguage(language)
        .setTasks(List.of(Task.TRANSLATE))
        .setOptions(options == null ? null
            : TaskOptions.newBuilder().setTranslation(options).build());
  }

  private static TranslationOptions target(String language) {
    return TranslationOptions.newBuilder().setTargetLanguage(language).build();
  }

  private void send(TextEvent.Builder event) {
    input.pipeInput(event.getEventId().getBytes(StandardCharsets.UTF_8),
        Codecs.TEXT_EVENT.encode(event.build()));
  }

  private void flush() {
    driver.advanceWallClockTime(Duration.ofMillis(MAX_WAIT_MS + 50));
  }

  private List<Translation> readTranslations() throws Exception {
    return TopologyTests.readKeyed(translations, Codecs.TRANSLATION, Translation::getEventId);
  }

  private List<Summary> readSummaries() throws Exception {
    return TopologyTests.readKeyed(summaries, Codecs.SUMMARY, Summary::getEventId);
  }

  private List<DeadLetter> readDeadLetters() throws Exception {
    return TopologyTests.readDeadLetters(deadLetters);
  }

  @Test
  void routesByLanguagePairModelFirstThenMultilingual() throws Exception {
    send(translate("to-de", "the dog runs.", "en", target("de")));
    send(translate("to-fr", "the dog runs.", "en", target("fr")));
    send(translate("de-to-en", "der Hund läuft.", "de", target("en")));
    flush();
    List<Translation> out = readTranslations();
    assertThat(out).extracting(Translation::getEventId)
        .containsExactly("to-de", "to-fr", "de-to-en");
    assertThat(out).extracting(t -> t.getModel().getName())
        .containsExactly("marian-en-de", "m2m", "m2m");
    assertThat(out).extracting(Translation::getText)
        .containsExactly("THE DOG RUNS. [de]", "THE DOG RUNS. [fr]", "DER HUND LÄUFT. [en]");
    assertThat(out).extracting(Translation::getSourceLanguage).containsExactly("en", "en", "de");
    assertThat(out).allSatisfy(t -> {
      assertThat(t.getSourceLanguageDetected()).isFalse();
      assertThat(t.getChunkCount()).isEqualTo(1);
      assertThat(t.getTruncated()).isFalse();
      assertThat(t.getSource().getTopic()).isEqualTo("in");
    });
    assertThat(out.get(2).getSource().getOffset()).isEqualTo(2L);
    assertThat(readDeadLetters()).isEmpty();
  }

  @Test
  void detectsTheSourceLanguageWhenTheEventGivesNone() throws Exception {
    send(translate("detected", "der Hund sieht die Katze, weil sie hier ist.", null,
        target("fr")));
    send(translate("default-target", "the cat sleeps because it is tired.", null, null));
    send(translate("unknown", "Berlin!", null, target("de")));
    flush();
    List<Translation> out = readTranslations();
    assertThat(out.get(0).getSourceLanguage()).isEqualTo("de");
    assertThat(out.get(0).getSourceLanguageDetected()).isTrue();
    assertThat(out.get(0).getModel().getName()).isEqualTo("m2m");
    assertThat(out.get(1).getSourceLanguage()).isEqualTo("en");
    assertThat(out.get(1).getTargetLanguage()).isEqualTo("de");
    assertThat(out.get(1).getModel().getName()).isEqualTo("marian-en-de");
    // No evidence: routed by the target alone, and the output does not pretend to know.
    assertThat(out.get(2).getSourceLanguage()).isEmpty();
    assertThat(out.get(2).getSourceLanguageDetected()).isFalse();
    assertThat(out.get(2).getModel().getName()).isEqualTo("marian-en-de");
  }

  @Test
  void theRouteIsDecidedOnceAtDecodeTimeAndKeptInTheBufferEntry() throws Exception {
    send(translate("planned", "der Hund sieht die Katze, weil sie hier ist.", null,
        target("fr")));
    // Before the flush: the buffer entry carries the route, the detected language included.
    org.apache.kafka.streams.state.KeyValueStore<Long, byte[]> buffer =
        driver.getKeyValueStore(NlpTopology.TRANSLATE_BUFFER_STORE);
    dev.nlpstreams.schema.avro.internal.BufferedRecord entry =
        Codecs.BUFFERED_RECORD.decode(buffer.get(0L));
    assertThat(entry.getPlan()).containsEntry("model", "m2m")
        .containsEntry("source_language", "de").containsEntry("source_detected", "true")
        .containsEntry("target_language", "fr").containsEntry("passthrough", "false");
    assertThat(entry.getTokenCount()).isPositive();
    flush();
    List<Translation> out = readTranslations();
    assertThat(out).extracting(Translation::getSourceLanguage).containsExactly("de");
    assertThat(out.get(0).getModel().getName()).isEqualTo("m2m");
  }

  @Test
  void aBlankTextWithImpossibleOptionsIsStillDeadLettered() throws Exception {
    // Planning skips the tokenizer for blank text, never the option check.
    send(translate("blank-beams", "  ", "en", TranslationOptions.newBuilder().setNumBeams(5)
        .build()));
    send(translate("blank-fine", "  ", "en", target("de")));
    flush();
    assertThat(readDeadLetters()).extracting(DeadLetter::getEventId)
        .containsExactly("blank-beams");
    assertThat(readTranslations()).extracting(Translation::getEventId)
        .containsExactly("blank-fine");
  }

  @Test
  void recordsNoModelCanServeBecomeDeadLettersWithAReason() throws Exception {
    send(translate("no-such-target", "the dog runs.", "en", target("xx")));
    send(translate("no-such-model", "the dog runs.", "en",
        TranslationOptions.newBuilder().setModel("nope").build()));
    send(translate("model-cannot", "the dog runs.", "en",
        TranslationOptions.newBuilder().setModel("marian-en-de").setTargetLanguage("fr").build()));
    send(translate("too-many-beams", "the dog runs.", "en",
        TranslationOptions.newBuilder().setNumBeams(5).build()));
    send(translate("too-long", "the dog runs.", "en",
        TranslationOptions.newBuilder().setMaxNewTokens(65).build()));
    send(TextEvent.newBuilder().setEventId("bad-summary-model").setText("A. B.")
        .setTasks(List.of(Task.SUMMARIZE)).setOptions(TaskOptions.newBuilder()
            .setSummary(SummaryOptions.newBuilder().setModel("other").build()).build()));
    send(translate("fine", "the dog runs.", "en", target("de")));
    flush();
    List<DeadLetter> dead = readDeadLetters();
    assertThat(dead).extracting(DeadLetter::getEventId).containsExactly("no-such-target",
        "no-such-model", "model-cannot", "too-many-beams", "too-long", "bad-summary-model");
    assertThat(dead).extracting(DeadLetter::getReason).containsExactly(
        ReasonCode.UNSUPPORTED_LANGUAGE, ReasonCode.UNSUPPORTED_OPTION,
        ReasonCode.UNSUPPORTED_LANGUAGE, ReasonCode.UNSUPPORTED_OPTION,
        ReasonCode.UNSUPPORTED_OPTION, ReasonCode.UNSUPPORTED_OPTION);
    assertThat(dead.get(0).getErrorMessage()).contains("'xx'", "m2m", "marian-en-de (en->de)");
    assertThat(dead.get(1).getErrorMessage()).contains("'nope'");
    assertThat(dead.get(2).getErrorMessage()).contains("marian-en-de", "'fr'");
    assertThat(dead.get(3).getErrorMessage()).contains("num_beams=5", "[1, 4]");
    assertThat(dead.get(4).getErrorMessage()).contains("max_new_tokens=65");
    assertThat(dead.get(5).getErrorMessage()).contains("'other'", "summarizer");
    assertThat(dead).allSatisfy(d -> {
      assertThat(d.getSourceTopic()).isEqualTo("in");
      assertThat(d.getOriginalValue()).isNotNull();
    });
    assertThat(dead.get(0).getTask()).isEqualTo("TRANSLATE");
    assertThat(dead.get(5).getTask()).isEqualTo("SUMMARIZE");
    assertThat(readTranslations()).extracting(Translation::getEventId).containsExactly("fine");
  }

  @Test
  void onlyRecordsWithCompatibleOptionsShareAModelRun() throws Exception {
    send(translate("b1", "the dog runs.", "en", target("de")));
    send(translate("b2", "the cat runs.", "en",
        TranslationOptions.newBuilder().setTargetLanguage("de").setNumBeams(3).build()));
    send(translate("b3", "a bird sings.", "en", target("de")));
    send(translate("b4", "the tree grows.", "en",
        TranslationOptions.newBuilder().setTargetLanguage("de").setNumBeams(3).build()));
    List<Translation> out = readTranslations();
    assertThat(out).extracting(Translation::getEventId).containsExactly("b1", "b2", "b3", "b4");
    assertThat(marian.calls).hasSize(2);
    for (FakeGenerator.Call call : marian.calls) {
      assertThat(call.requests()).hasSize(2);
    }
    assertThat(marian.calls).extracting(c -> c.config().numBeams())
        .containsExactlyInAnyOrder(1, 3);
    assertThat(out).extracting(t -> t.getDecoding().getNumBeams()).containsExactly(1, 3, 1, 3);
    assertThat(out.get(0).getDecoding().getMaxNewTokens()).isEqualTo(20);
  }

  @Test
  void aMultilingualRunMayMixTargetLanguages() throws Exception {
    send(translate("m1", "the dog runs.", "en", target("fr")));
    send(translate("m2", "der Hund läuft.", "de", target("en")));
    send(translate("m3", "the cat runs.", "en", target("fr")));
    send(translate("m4", "die Katze läuft.", "de", target("fr")));
    assertThat(readTranslations()).extracting(Translation::getText).containsExactly(
        "THE DOG RUNS. [fr]", "DER HUND LÄUFT. [en]", "THE CAT RUNS. [fr]", "DIE KATZE LÄUFT. [fr]");
    assertThat(multilingual.calls).hasSize(1);
    assertThat(multilingual.calls.get(0).requests()).extracting(GenerationRequest::targetLanguage)
        .containsExactlyInAnyOrder("fr", "en", "fr", "fr");
  }

  @Test
  void textIsTranslatedSentenceBySentenceAndStitchedInOrder() throws Exception {
    String text = "the old dog runs to the house. the cat sleeps.\n\n"
        + "a very small bird with blue wings sings a long song in the green garden.";
    send(translate("long", text, "en", target("de")));
    flush();
    Translation t = readTranslations().get(0);
    assertThat(t.getChunkCount()).isEqualTo(4);
    assertThat(t.getTruncated()).isFalse();
    // The last sentence has 16 words: cut into word windows of at most 11 words.
    assertThat(t.getText()).isEqualTo("THE OLD DOG RUNS TO THE HOUSE. [de] THE CAT"
        + " SLEEPS. [de]\n\nA VERY SMALL BIRD WITH BLUE WINGS SINGS A LONG SONG [de] IN THE GREEN"
        + " GARDEN. [de]");
    assertThat(marian.calls).hasSize(1);
    assertThat(marian.calls.get(0).requests()).allSatisfy(
        r -> assertThat(marian.countTokens(r)).isLessThanOrEqualTo(MAX_SOURCE_TOKENS));
  }

  @Test
  void aTextIsCutIntoChunksWhenItArrivesAndNotAgainWhenItRuns() throws Exception {
    send(translate("planned", "the old dog runs to the house. the cat sleeps.\n\nthe bird sings.",
        "en", target("de")));
    send(TextEvent.newBuilder().setEventId("summary").setText("Ann came home. She was tired.")
        .setTasks(List.of(Task.SUMMARIZE)));
    int translationCounts = marian.tokenCounts.get();
    int summaryCounts = summarizer.tokenCounts.get();
    assertThat(translationCounts).as("the translation was cut when it arrived").isPositive();
    assertThat(summaryCounts).as("the summary input was measured when it arrived").isPositive();

    flush();

    Translation translation = readTranslations().get(0);
    assertThat(translation.getChunkCount()).isEqualTo(3);
    assertThat(translation.getText())
        .isEqualTo("THE OLD DOG RUNS TO THE HOUSE. [de] THE CAT SLEEPS. [de]\n\nTHE BIRD SINGS. [de]");
    assertThat(readSummaries().get(0).getText()).isEqualTo("Ann came home.");
    // The runs read the planned spans from the buffer entries instead of tokenizing again.
    assertThat(marian.tokenCounts.get()).isEqualTo(translationCounts);
    assertThat(summarizer.tokenCounts.get()).isEqualTo(summaryCounts);
  }

  @Test
  void textBeyondTheChunkLimitIsLeftOutAndFlagged() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      text.append("sentence number ").append(i).append(" has exactly seven words here. ");
    }
    send(translate("huge", text.toString(), "en", target("de")));
    flush();
    Translation t = readTranslations().get(0);
    assertThat(t.getChunkCount()).isEqualTo(6);
    assertThat(t.getTruncated()).isTrue();
    assertThat(t.getText()).startsWith("SENTENCE NUMBER 0").contains("NUMBER 5")
        .doesNotContain("NUMBER 6");
  }

  @Test
  void longTextIsSummarizedByChunksThenTheSummariesAgain() throws Exception {
    String shortText = "Ann came home. She was tired.";
    String longText = "Ann came home late. She was tired. Bob cooked some pasta. It was good. "
        + "The rain stopped tonight. Stars came out.";
    send(TextEvent.newBuilder().setEventId("short").setText(shortText)
        .setTasks(List.of(Task.SUMMARIZE)));
    send(TextEvent.newBuilder().setEventId("long").setText(longText)
        .setTasks(List.of(Task.SUMMARIZE)));
    flush();
    List<Summary> out = readSummaries();
    assertThat(out.get(0).getText()).isEqualTo("Ann came home.");
    assertThat(out.get(0).getChunkCount()).isEqualTo(1);
    assertThat(out.get(0).getSummaryRounds()).isEqualTo(1);
    // Round 1: three two-sentence chunks; their summaries joined take 13 tokens, more than one
    // summary may (max_new_tokens 12), so round 2 summarizes them again in two chunks.
    assertThat(out.get(1).getChunkCount()).isEqualTo(3);
    assertThat(out.get(1).getSummaryRounds()).isEqualTo(2);
    assertThat(out.get(1).getText()).isEqualTo("Ann came home late. The rain stopped tonight.");
    assertThat(out.get(1).getDecoding().getMaxNewTokens()).isEqualTo(12);
    assertThat(out.get(1).getTruncated()).isFalse();
  }

  @Test
  void aFailingRecordIsIsolatedAndItsNeighboursAreTranslated() throws Exception {
    send(translate("ok-1", "the dog runs.", "en", target("de")));
    send(translate("poisoned", "the POISON runs.", "en", target("de")));
    send(translate("ok-2", "the cat runs.", "en", target("de")));
    send(translate("ok-3", "a bird sings.", "en", target("de")));
    assertThat(readTranslations()).extracting(Translation::getEventId)
        .containsExactly("ok-1", "ok-2", "ok-3");
    List<DeadLetter> dead = readDeadLetters();
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).getReason()).isEqualTo(ReasonCode.INFERENCE_FAILED);
    assertThat(dead.get(0).getEventId()).isEqualTo("poisoned");
    assertThat(dead.get(0).getTask()).isEqualTo("TRANSLATE");
    assertThat(dead.get(0).getSourceOffset()).isEqualTo(1L);
  }

  @Test
  void sameLanguageAndBlankTextNeedNoModel() throws Exception {
    send(translate("same", "der Hund läuft.", "de", target("de")));
    send(translate("blank", "  ", "en", target("de")));
    flush();
    List<Translation> out = readTranslations();
    assertThat(out.get(0).getText()).isEqualTo("der Hund läuft.");
    assertThat(out.get(0).getModel().getName()).isEqualTo(TranslationBatchTask.PASSTHROUGH_MODEL);
    assertThat(out.get(1).getText()).isEqualTo("  ");
    assertThat(out.get(1).getChunkCount()).isZero();
    assertThat(marian.calls).isEmpty();
    assertThat(multilingual.calls).isEmpty();
  }

  @Test
  void oneEventAskingForEveryTaskLandsOnEveryOutputTopic() throws Exception {
    send(TextEvent.newBuilder().setEventId("all").setText("Ann met Bob. They talked.")
        .setLanguage("en"));
    flush();
    assertThat(readTranslations()).extracting(Translation::getText)
        .containsExactly("ANN MET BOB. [de] THEY TALKED. [de]");
    assertThat(readSummaries()).extracting(Summary::getText).containsExactly("Ann met Bob.");
    List<Entities> ner = new ArrayList<>();
    for (byte[] v : entities.readValuesToList()) {
      ner.add(Codecs.ENTITIES.decode(v));
    }
    assertThat(ner).extracting(Entities::getEventId).containsExactly("all");
    assertThat(readDeadLetters()).isEmpty();
  }
}
