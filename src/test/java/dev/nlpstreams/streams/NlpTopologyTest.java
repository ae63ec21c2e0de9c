package dev.nlpstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.avro.DeadLetter;
import dev.nlpstreams.schema.avro.Entities;
import dev.nlpstreams.schema.avro.NerOptions;
import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TaskOptions;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.text.batch.FlushPolicy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The topology with a fake model: batching triggers, ordering, failure isolation, dead letters. */
class NlpTopologyTest {

  private static final Topics TOPICS = new Topics("in", "entities", "dlq");
  private static final int MAX_RECORDS = 4;
  private static final long MAX_TOKENS = 50;
  private static final long MAX_WAIT_MS = 200;

  private final FakeRecognizer recognizer = new FakeRecognizer();
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> input;
  private TestOutputTopic<String, byte[]> entities;
  private TestOutputTopic<byte[], byte[]> deadLetters;
  private long nextOffsetForKey;

  private void start(int maxTextChars) {
    NlpTopology.Settings settings = new NlpTopology.Settings("test-app", TOPICS, maxTextChars,
        new FlushPolicy(MAX_RECORDS, MAX_TOKENS, MAX_WAIT_MS), 64);
    driver = TopologyTests.driver(TaskEngines.nerOnly(recognizer).topology(settings));
    input = driver.createInputTopic("in", new ByteArraySerializer(), new ByteArraySerializer());
    entities = TopologyTests.keyedOutput(driver, "entities");
    deadLetters = TopologyTests.deadLetterOutput(driver, "dlq");
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  private void send(String id, String text) {
    send(id, Codecs.TEXT_EVENT.encode(event(id, text).build()));
  }

  private void send(String key, byte[] value) {
    input.pipeInput(key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
    nextOffsetForKey++;
  }

  private static TextEvent.Builder event(String id, String text) {
    return TextEvent.newBuilder().setEventId(id).setText(text).setTasks(List.of(Task.NER));
  }

  private List<Entities> readEntities() throws Exception {
    return TopologyTests.readKeyed(entities, Codecs.ENTITIES, Entities::getEventId);
  }

  private List<DeadLetter> readDeadLetters() throws Exception {
    return TopologyTests.readDeadLetters(deadLetters);
  }

  private long buffered() {
    KeyValueStore<Long, byte[]> store = driver.getKeyValueStore(NlpTopology.NER_BUFFER_STORE);
    return TopologyTests.entries(store);
  }

  @Test
  void fewerThanMaxRecordsForwardNothingUntilTheBatchIsFull() throws Exception {
    start(10_000);
    for (int i = 1; i < MAX_RECORDS; i++) {
      send("e" + i, "Ann met Bob");
    }
    assertThat(entities.isEmpty()).isTrue();
    assertThat(buffered()).isEqualTo(MAX_RECORDS - 1);
    assertThat(recognizer.batches).isEmpty();

    send("e" + MAX_RECORDS, "Cid met Dan");
    List<Entities> out = readEntities();
    assertThat(out).extracting(Entities::getEventId).containsExactly("e1", "e2", "e3", "e4");
    assertThat(recognizer.batches).hasSize(1);
    assertThat(out.get(3).getEntities()).extracting(e -> e.getText()).containsExactly("Cid", "Dan");
    assertThat(buffered()).isZero();
  }

  @Test
  void aRecordForwardedBeforeTheCommitCostsTheChangelogOnlyATombstone() throws Exception {
    start(10_000);
    for (int i = 1; i < MAX_RECORDS; i++) {
      send("e" + i, "Ann met Bob");
    }
    // The driver commits after each input, so the three waiting records reach the changelog. The
    // fourth fills the batch: it is buffered, run, forwarded and deleted within one input.
    send("e" + MAX_RECORDS, "Cid met Dan");
    assertThat(readEntities()).hasSize(MAX_RECORDS);

    List<org.apache.kafka.streams.KeyValue<Long, byte[]>> writes = driver.createOutputTopic(
            "test-app-" + NlpTopology.NER_BUFFER_STORE + "-changelog",
            new org.apache.kafka.common.serialization.LongDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())
        .readKeyValuesToList();
    // Buffer sequence numbers 0-2 were copied when buffered; 3 never was: only tombstones for it.
    assertThat(writes.stream().filter(write -> write.value != null).map(write -> write.key))
        .containsExactly(0L, 1L, 2L);
    assertThat(writes.stream().filter(write -> write.value == null).map(write -> write.key))
        .containsExactlyInAnyOrder(0L, 1L, 2L, 3L);
  }

  @Test
  void wallClockPunctuatorFlushesAQuietBufferInOrder() throws Exception {
    start(10_000);
    send("a", "Ann");
    send("b", "Bob");
    send("c", "Cid");
    driver.advanceWallClockTime(Duration.ofMillis(MAX_WAIT_MS - 60));
    assertThat(entities.isEmpty()).isTrue();
    assertThat(buffered()).isEqualTo(3);

    driver.advanceWallClockTime(Duration.ofMillis(100));
    assertThat(readEntities()).extracting(Entities::getEventId).containsExactly("a", "b", "c");
    assertThat(buffered()).isZero();
  }

  @Test
  void tokenBudgetFlushesBeforeMaxRecords() throws Exception {
    start(10_000);
    String thirtyWords = "word ".repeat(30).trim();
    send("long1", thirtyWords);
    assertThat(entities.isEmpty()).isTrue();
    send("long2", thirtyWords); // 60 tokens >= 50
    assertThat(readEntities()).extracting(Entities::getEventId).containsExactly("long1", "long2");
    assertThat(buffered()).isZero();
  }

  @Test
  void aPoisonedRecordIsIsolatedAndItsNeighboursPassInOrder() throws Exception {
    start(10_000);
    send("ok1", "Ann");
    send("bad", "POISON Pill");
    send("ok2", "Bob");
    send("ok3", "Cid");

    assertThat(readEntities()).extracting(Entities::getEventId)
        .containsExactly("ok1", "ok2", "ok3");
    List<DeadLetter> letters = readDeadLetters();
    assertThat(letters).hasSize(1);
    DeadLetter letter = letters.get(0);
    assertThat(letter.getReason()).isEqualTo(ReasonCode.INFERENCE_FAILED);
    assertThat(letter.getEventId()).isEqualTo("bad");
    assertThat(letter.getTask()).isEqualTo("NER");
    assertThat(letter.getSourceTopic()).isEqualTo("in");
    assertThat(letter.getSourceOffset()).isEqualTo(1L);
    assertThat(letter.getErrorClass()).endsWith("InferenceException");
    assertThat(Codecs.TEXT_EVENT.decode(bytes(letter.getOriginalValue())).getText())
        .isEqualTo("POISON Pill");
    assertThat(new String(bytes(letter.getOriginalKey()), StandardCharsets.UTF_8))
        .isEqualTo("bad");
    // 4 records: whole batch fails, halves [ok1,bad] fail / [ok2,ok3] pass, then ok1 / bad alone.
    assertThat(recognizer.batches).hasSize(5);
    assertThat(buffered()).isZero();
  }

  @Test
  void aStalledRecordBecomesATimeoutDeadLetter() throws Exception {
    start(10_000);
    send("ok", "Ann");
    send("slow", "STALL");
    driver.advanceWallClockTime(Duration.ofMillis(MAX_WAIT_MS));
    assertThat(readEntities()).extracting(Entities::getEventId).containsExactly("ok");
    assertThat(readDeadLetters()).singleElement()
        .satisfies(l -> assertThat(l.getReason()).isEqualTo(ReasonCode.INFERENCE_TIMEOUT));
  }

  @Test
  void badInputBecomesDeadLettersAndNeverStopsTheStream() throws Exception {
    start(1_000);
    send("corrupt", new byte[] {(byte) 0xC3, 0x01, 1, 2, 3});
    send("garbage", "definitely not avro".getBytes(StandardCharsets.UTF_8));
    send("confluent", new byte[] {0, 0, 0, 0, 42, 2, 3});
    send("null", (byte[]) null);
    send("huge", Codecs.TEXT_EVENT.encode(event("huge", "x".repeat(1_001)).build()));
    send("noid", Codecs.TEXT_EVENT.encode(event("", "Ann").build()));
    send("translate", Codecs.TEXT_EVENT.encode(event("translate", "Ann")
        .setTasks(List.of(Task.TRANSLATE)).build()));
    send("badopt", Codecs.TEXT_EVENT.encode(event("badopt", "Ann").setOptions(
        TaskOptions.newBuilder().setNer(NerOptions.newBuilder()
            .setAggregationStrategy("median").build()).build()).build()));
    send("fine", "Ann met Bob");
    driver.advanceWallClockTime(Duration.ofMillis(MAX_WAIT_MS));

    List<DeadLetter> letters = readDeadLetters();
    assertThat(letters).extracting(DeadLetter::getReason).containsExactly(
        ReasonCode.MALFORMED_PAYLOAD, ReasonCode.MALFORMED_PAYLOAD, ReasonCode.UNKNOWN_SCHEMA,
        ReasonCode.NULL_VALUE, ReasonCode.TEXT_TOO_LARGE, ReasonCode.INVALID_EVENT,
        ReasonCode.UNSUPPORTED_TASK, ReasonCode.UNSUPPORTED_OPTION);
    assertThat(letters).extracting(DeadLetter::getSourceOffset)
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(letters.get(3).getOriginalValue()).isNull();
    assertThat(letters.get(6).getTask()).isEqualTo("TRANSLATE");
    assertThat(letters.get(7).getErrorMessage()).contains("median");
    assertThat(bytes(letters.get(1).getOriginalValue()))
        .isEqualTo("definitely not avro".getBytes(StandardCharsets.UTF_8));
    // The oversized record's dead letter keeps only the first 64 bytes and says so.
    DeadLetter huge = letters.get(4);
    assertThat(huge.getOriginalValueTruncated()).isTrue();
    assertThat(huge.getOriginalValue().remaining()).isEqualTo(64);
    assertThat(huge.getOriginalValueSize()).isGreaterThan(1_001);
    assertThat(letters.get(1).getOriginalValueTruncated()).isFalse();
    assertThat(letters.get(3).getOriginalValueSize()).isEqualTo(-1);
    assertThat(readEntities()).extracting(Entities::getEventId).containsExactly("fine");
  }

  @Test
  void aDeadLetterFitsTheProducersLimitWhateverItsValueCopySettingAndTheKeySay() throws Exception {
    // nlp.dead.letter.max.value.bytes at its default (900 kB) against a producer that takes
    // 64 kB: a full copy would be refused by the producer and fail the thread on this record for
    // ever.
    int maxRecordBytes = 64 * 1024;
    NlpTopology.Settings settings = new NlpTopology.Settings("test-app", TOPICS, Set.of(Task.NER),
        1_000, new FlushPolicy(MAX_RECORDS, MAX_TOKENS, MAX_WAIT_MS), 900_000,
        GenerationLimits.defaults(), 5_000, 60_000, maxRecordBytes);
    driver = TopologyTests.driver(TaskEngines.nerOnly(recognizer).topology(settings));
    input = driver.createInputTopic("in", new ByteArraySerializer(), new ByteArraySerializer());
    deadLetters = TopologyTests.deadLetterOutput(driver, "dlq");
    String bigKey = "k".repeat(20_000);
    byte[] huge = Codecs.TEXT_EVENT.encode(event("huge", "x".repeat(200_000)).build());
    send("huge", huge);
    send(bigKey, huge);
    send("huge-id", Codecs.TEXT_EVENT.encode(event("i".repeat(100_000), "x".repeat(2_000))
        .build()));

    List<TestRecord<byte[], byte[]>> records =
        deadLetters.readRecordsToList();
    assertThat(records).hasSize(3).allSatisfy(record -> assertThat(
        record.key().length + record.value().length).isLessThanOrEqualTo(maxRecordBytes));
    List<DeadLetter> letters = new java.util.ArrayList<>();
    for (var record : records) {
      letters.add(Codecs.DEAD_LETTER.decode(record.value()));
    }
    assertThat(letters).allSatisfy(letter -> {
      assertThat(letter.getReason()).isEqualTo(ReasonCode.TEXT_TOO_LARGE);
      assertThat(letter.getOriginalValueTruncated()).isTrue();
      assertThat(letter.getOriginalValue().remaining()).isPositive();
    });
    assertThat(letters.get(0).getOriginalKey()).isNotNull();
    // The big key is the dead letter's own key; the copy inside would not fit beside it.
    assertThat(records.get(1).key()).hasSize(20_000);
    assertThat(letters.get(1).getOriginalKey()).isNull();
    assertThat(letters.get(1).getOriginalValue().remaining())
        .isLessThan(letters.get(0).getOriginalValue().remaining());
    assertThat(letters.get(2).getEventId().toString()).endsWith("(truncated)");
  }

  @Test
  void aLoneSurrogateFromAJsonProducerReachesTheModelAsAReplacementCharacter() throws Exception {
    // What Jackson makes of {"text":"\ud83d Ann met Bob 😀"}: a Java string no tokenizer takes.
    TextEvent cut = event("cut", "\ud83d Ann met Bob 😀").build();
    TopologyIo io = new TopologyIo(record -> cut, TopologyIo.singleObject().output());
    NlpTopology.Settings settings = new NlpTopology.Settings("test-app", TOPICS, 10_000,
        new FlushPolicy(1, MAX_TOKENS, MAX_WAIT_MS), 64);
    driver = TopologyTests.driver(TaskEngines.nerOnly(recognizer).topology(settings, io,
        InferenceEngines.direct()));
    input = driver.createInputTopic("in", new ByteArraySerializer(), new ByteArraySerializer());
    entities = TopologyTests.keyedOutput(driver, "entities");
    send("cut", "{}".getBytes(StandardCharsets.UTF_8));
    driver.advanceWallClockTime(Duration.ofMillis(MAX_WAIT_MS));

    assertThat(recognizer.batches).containsExactly(List.of("\uFFFD Ann met Bob 😀"));
    assertThat(readEntities()).extracting(Entities::getEventId).containsExactly("cut");
  }

  @Test
  void emptyAndBlankTextsGetEmptyResultsWithoutRunningTheModel() throws Exception {
    start(10_000);
    send("empty", "");
    send("blank", "   \n\t");
    driver.advanceWallClockTime(Duration.ofMillis(MAX_WAIT_MS));
    List<Entities> out = readEntities();
    assertThat(out).extracting(Entities::getEventId).containsExactly("empty", "blank");
    assertThat(out).allSatisfy(e -> {
      assertThat(e.getEntities()).isEmpty();
      assertThat(e.getWindowCount()).isZero();
    });
    assertThat(recognizer.batches).isEmpty();
  }

  @Test
  void outputCarriesSourceCoordinatesAttributesAndPerRecordStrategy() throws Exception {
    start(10_000);
    send("x", Codecs.TEXT_EVENT.encode(event("x", "Ann").setAttributes(Map.of("k", "v"))
        .setOptions(TaskOptions.newBuilder().setNer(NerOptions.newBuilder()
            .setAggregationStrategy("MAX").build()).build()).build()));
    driver.advanceWallClockTime(Duration.ofMillis(MAX_WAIT_MS));
    TestRecord<String, byte[]> record = entities.readRecord();
    Entities out = Codecs.ENTITIES.decode(record.value());
    assertThat(out.getAggregationStrategy()).isEqualTo("max");
    assertThat(out.getAttributes()).containsEntry("k", "v");
    assertThat(out.getSource().getTopic()).isEqualTo("in");
    assertThat(out.getSource().getOffset()).isZero();
    assertThat(out.getModel().getName()).isEqualTo("fake");
  }

  @Test
  void emptyTaskListMeansEveryConfiguredTask() throws Exception {
    start(10_000);
    send("all", Codecs.TEXT_EVENT.encode(event("all", "Ann").setTasks(List.of()).build()));
    driver.advanceWallClockTime(Duration.ofMillis(MAX_WAIT_MS));
    assertThat(readEntities()).extracting(Entities::getEventId).containsExactly("all");
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }

  @Test
  void aBatchWhoseEveryRecordFailsAloneRunsOnceMoreThenGoesToTheDeadLetters() throws Exception {
    NlpTopology.Settings settings = new NlpTopology.Settings("test-app", TOPICS, 10_000,
        new FlushPolicy(MAX_RECORDS, MAX_TOKENS, MAX_WAIT_MS), 64);
    org.apache.kafka.streams.Topology topology = TaskEngines.nerOnly(recognizer)
        .topology(settings);
    // First attempt: every record fails on its own, so the model is suspected, not the records:
    // the thread fails, nothing is dead-lettered and the records stay buffered.
    driver = TopologyTests.driver(topology);
    input = driver.createInputTopic("in", new ByteArraySerializer(), new ByteArraySerializer());
    deadLetters = TopologyTests.deadLetterOutput(driver, "dlq");
    for (int i = 1; i < MAX_RECORDS; i++) {
      send("p" + i, "POISON " + i);
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> send("p4", "POISON 4"))
        .hasRootCauseMessage("poisoned batch")
        .hasStackTraceContaining(ModelFailureException.class.getName());
    assertThat(readDeadLetters()).isEmpty();
    assertThat(buffered()).isEqualTo(MAX_RECORDS);
    driver.close();

    // The same records again (as after a thread replacement restores them): now they are taken
    // for bad records and dead-lettered, never replayed forever.
    driver = TopologyTests.driver(topology);
    input = driver.createInputTopic("in", new ByteArraySerializer(), new ByteArraySerializer());
    deadLetters = TopologyTests.deadLetterOutput(driver, "dlq");
    for (int i = 1; i <= MAX_RECORDS; i++) {
      send("p" + i, "POISON " + i);
    }
    assertThat(readDeadLetters()).extracting(DeadLetter::getReason)
        .containsOnly(ReasonCode.INFERENCE_FAILED).hasSize(MAX_RECORDS);
    assertThat(buffered()).isZero();
  }
}
