package dev.nlpstreams.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.app.embedded.EmbeddedKafkaBroker;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.avro.NerOptions;
import dev.nlpstreams.schema.avro.SummaryOptions;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TaskOptions;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.avro.TranslationOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reliability scenarios (../shared/guides/reliability.md) against a real KRaft broker, with the
 * processor as its own JVM that the test kills, terminates and restarts, an independent producer,
 * and a read_committed verifier over every output topic. Each scenario prints its exact counts.
 *
 * <p>Sized for CI on two cores; {@code -Dfaults.scale=10} runs ten times the events by hand.
 */
class FaultInjectionIT {

  private static final int SCALE = Integer.getInteger("faults.scale", 1);
  private static final int PARTITIONS = 6;
  private static EmbeddedKafkaBroker broker;

  @TempDir
  Path dir;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedKafkaBroker.builder().numPartitions(PARTITIONS)
        // Lets a producer put records above 1 MiB on the input topic, so that the processor, not
        // the broker, is what has to cope with them.
        .brokerProperty("message.max.bytes", String.valueOf(8 * 1024 * 1024))
        .shutdownHook(true).build();
    broker.start();
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  /** The topics and settings of one scenario. */
  private final class Scenario {
    final String name;
    final String input;
    final String entities;
    final String translations;
    final String summaries;
    final String deadLetters;
    final Map<String, String> settings = new LinkedHashMap<>();

    Scenario(String name, String guarantee, String tasks) {
      this.name = name;
      String suffix = name + "-" + UUID.randomUUID().toString().substring(0, 6);
      input = "in-" + suffix;
      entities = "entities-" + suffix;
      translations = "translations-" + suffix;
      summaries = "summaries-" + suffix;
      deadLetters = "dlq-" + suffix;
      broker.createTopics(Map.of(input, PARTITIONS, entities, 3, translations, 3, summaries, 3,
          deadLetters, 3));
      settings.put("bootstrap.servers", broker.bootstrapServers());
      settings.put("application.id", "faults-" + suffix);
      settings.put("processing.guarantee", guarantee);
      settings.put("nlp.tasks", tasks);
      settings.put("nlp.input.topic", input);
      settings.put("nlp.entities.topic", entities);
      settings.put("nlp.translations.topic", translations);
      settings.put("nlp.summaries.topic", summaries);
      settings.put("nlp.dead.letter.topic", deadLetters);
      settings.put("nlp.batch.max.wait.ms", "50");
      settings.put("nlp.shutdown.timeout.ms", "20000");
      // A killed member's partitions move after its session expires: keep that short here.
      settings.put("consumer.session.timeout.ms", "6000");
      settings.put("consumer.heartbeat.interval.ms", "1500");
      if (guarantee.equals("at_least_once")) {
        settings.put("commit.interval.ms", "1000");
      }
    }

    ProcessorProcess processor(String instance) {
      return processor(instance, null);
    }

    ProcessorProcess processor(String instance, String mainClass) {
      Map<String, String> own = new LinkedHashMap<>(settings);
      own.put("state.dir", stateDir(instance).toString());
      ProcessorProcess process = new ProcessorProcess(name + "-" + instance, dir, own, mainClass);
      closeables.add(process);
      return process;
    }

    Path stateDir(String instance) {
      return dir.resolve("state-" + instance);
    }

    EventTraffic traffic() {
      EventTraffic traffic = new EventTraffic(broker.bootstrapServers(), input,
          Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024));
      closeables.add(traffic);
      return traffic;
    }

    OutputVerifier verifier() {
      OutputVerifier verifier = new OutputVerifier(broker.bootstrapServers(),
          List.of(entities, translations, summaries), deadLetters);
      closeables.add(verifier);
      return verifier;
    }
  }

  private static void report(String scenario, String line) {
    System.out.println("[fault-injection] " + scenario + ": " + line);
  }

  private static void awaitResults(OutputVerifier verifier, Set<String> ids, Duration timeout,
      ProcessorProcess... processors) throws InterruptedException {
    boolean done = verifier.await(outputs -> outputs.stream()
        .filter(o -> o.reason() == null && ids.contains(o.eventId()))
        .map(OutputVerifier.Output::eventId).distinct().count() >= ids.size(), timeout);
    if (!done) {
      StringBuilder logs = new StringBuilder();
      for (ProcessorProcess p : processors) {
        logs.append("\n--- ").append(p.log()).append(" ---\n").append(p.tail())
            .append("\n--- threads of ").append(p.log()).append(" ---\n")
            .append(p.threadDump());
      }
      throw new AssertionError("Not every event arrived within " + timeout + ": "
          + verifier.resultCount(ids::contains) + " results for " + ids.size() + " events"
          + logs);
    }
  }

  private static void awaitProgress(OutputVerifier verifier, String prefix, long atLeast)
      throws InterruptedException {
    assertThat(verifier.await(outputs -> outputs.stream()
        .filter(o -> o.reason() == null && o.eventId() != null && o.eventId().startsWith(prefix))
        .count() >= atLeast, Duration.ofSeconds(180)))
        .as("at least %d results for %s", atLeast, prefix).isTrue();
  }

  private static void awaitLogged(ProcessorProcess process, String text, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!process.logged(text)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(process.log() + " never logged '" + text + "':\n"
            + process.tail());
      }
      Thread.sleep(200);
    }
  }

  /** Every expected event once, none twice, in order per source partition. */
  private static void assertExactlyOnce(OutputVerifier.Counts counts) {
    assertThat(counts.missing()).as("missing").isZero();
    assertThat(counts.duplicates()).as("duplicates").isZero();
    assertThat(counts.orderViolations()).as("order violations").isZero();
    assertThat(counts.distinct()).isEqualTo(counts.expected());
  }

  private static void assertNoCrash(ProcessorProcess... processors) {
    for (ProcessorProcess p : processors) {
      List<Path> reports = p.crashReports();
      assertThat(reports).as("JVM crash reports of %s (%s); the first:%n%s", p.log(), p.pids(),
          reports.isEmpty() ? "" : crashSummary(reports.get(0))).isEmpty();
    }
  }

  /** The lines of an hs_err file that say where and in which thread the JVM crashed. */
  private static String crashSummary(Path report) {
    try {
      List<String> lines = Files.readAllLines(report);
      return String.join("\n", lines.subList(0, Math.min(lines.size(), 90)));
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> files = Files.walk(path)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void exactlyOnceSurvivesRepeatedSigkillAndAWipedStateDirectory() throws Exception {
    Scenario s = new Scenario("eos-sigkill", "exactly_once_v2", "ner");
    int events = 10_000 * SCALE;
    OutputVerifier verifier = s.verifier();
    ProcessorProcess processor = s.processor("a");
    processor.start();
    EventTraffic.Background traffic = s.traffic().sendNerInBackground("k", events, 800);
    for (int kill = 1; kill <= 3; kill++) {
      awaitProgress(verifier, "k-", (long) events * kill / 5);
      processor.kill();
      if (kill == 2) {
        // The next start restores every buffer from its changelog, not from local state.
        deleteRecursively(s.stateDir("a"));
      }
      processor.start();
    }
    Set<String> ids = traffic.ids();
    awaitResults(verifier, ids, Duration.ofMinutes(4), processor);
    OutputVerifier.Counts counts = verifier.counts(s.entities, ids);
    report(s.name, "3 x SIGKILL, state wiped before the 2nd restart: " + counts);
    assertExactlyOnce(counts);
    assertThat(verifier.deadLetters()).isEmpty();
    assertNoCrash(processor);
  }

  @Test
  void atLeastOnceLosesNothingUnderSigkill() throws Exception {
    Scenario s = new Scenario("alos-sigkill", "at_least_once", "ner");
    int events = 4_000 * SCALE;
    OutputVerifier verifier = s.verifier();
    ProcessorProcess processor = s.processor("a");
    processor.start();
    EventTraffic.Background traffic = s.traffic().sendNerInBackground("a", events, 800);
    for (int kill = 1; kill <= 2; kill++) {
      awaitProgress(verifier, "a-", (long) events * kill / 4);
      processor.kill();
      processor.start();
    }
    Set<String> ids = traffic.ids();
    awaitResults(verifier, ids, Duration.ofMinutes(3), processor);
    OutputVerifier.Counts counts = verifier.counts(s.entities, ids);
    report(s.name, "2 x SIGKILL: " + counts);
    assertThat(counts.missing()).isZero();
    assertThat(counts.nonIdenticalDuplicates()).isZero();
    assertNoCrash(processor);
  }

  @Test
  void sigtermMidTrafficClosesCleanlyLeavesTheGroupAndLosesNothing() throws Exception {
    Scenario s = new Scenario("eos-sigterm", "exactly_once_v2", "ner");
    int events = 3_000 * SCALE;
    OutputVerifier verifier = s.verifier();
    ProcessorProcess processor = s.processor("a");
    processor.start();
    EventTraffic.Background traffic = s.traffic().sendNerInBackground("t", events, 300);
    List<Duration> shutdowns = new ArrayList<>();
    List<Duration> resumes = new ArrayList<>();
    for (int stop = 1; stop <= 2; stop++) {
      awaitProgress(verifier, "t-", (long) events * stop / 4);
      shutdowns.add(processor.terminate(Duration.ofSeconds(30)));
      long before = verifier.resultCount(id -> id.startsWith("t-"));
      long restarted = System.nanoTime();
      processor.start();
      // The group was left on close: the restarted instance gets the partitions at once instead
      // of after the session timeout.
      awaitProgress(verifier, "t-", before + 1);
      resumes.add(Duration.ofNanos(System.nanoTime() - restarted));
    }
    Set<String> ids = traffic.ids();
    awaitResults(verifier, ids, Duration.ofMinutes(3), processor);
    OutputVerifier.Counts counts = verifier.counts(s.entities, ids);
    report(s.name, "2 x SIGTERM, clean shutdowns took " + shutdowns + ", first result after"
        + " restart within " + resumes + ": " + counts);
    assertExactlyOnce(counts);
    assertThat(processor.logged("nlp-streams stopped")).isTrue();
    assertNoCrash(processor);
  }

  @Test
  void aSecondInstanceJoinsAndLeavesWithoutLosingOrRepeatingAnEvent() throws Exception {
    Scenario s = new Scenario("scale-out", "exactly_once_v2", "ner");
    int events = 6_000 * SCALE;
    OutputVerifier verifier = s.verifier();
    ProcessorProcess first = s.processor("a");
    ProcessorProcess second = s.processor("b");
    first.start();
    EventTraffic.Background traffic = s.traffic().sendNerInBackground("s", events, 200);
    awaitProgress(verifier, "s-", events / 5);
    second.start();
    // It has joined once the group rebalanced and it runs its share of the partitions.
    awaitLogged(second, "Kafka Streams state REBALANCING -> RUNNING", Duration.ofSeconds(90));
    long joinedAt = verifier.resultCount(id -> id.startsWith("s-"));
    // On a loaded machine the join can take until the traffic is nearly done: never wait for more
    // results than there are events.
    awaitProgress(verifier, "s-", Math.min(events, Math.max(joinedAt + events / 10,
        events * 3 / 5)));
    Duration leave = second.terminate(Duration.ofSeconds(30));
    Set<String> ids = traffic.ids();
    awaitResults(verifier, ids, Duration.ofMinutes(3), first, second);
    OutputVerifier.Counts counts = verifier.counts(s.entities, ids);
    report(s.name, "second instance joined at " + joinedAt + " results, left (SIGTERM, " + leave
        + ") at 60% or later: " + counts);
    assertExactlyOnce(counts);
    assertNoCrash(first, second);
  }

  @Test
  void brokerKilledAndRestartedMidTraffic() throws Exception {
    EmbeddedKafkaBroker shared = broker;
    Scenario s = new Scenario("broker-kill", "exactly_once_v2", "ner");
    int events = 3_000 * SCALE;
    OutputVerifier verifier = s.verifier();
    ProcessorProcess processor = s.processor("a");
    processor.start();
    EventTraffic.Background traffic = s.traffic().sendNerInBackground("b", events, 300);
    awaitProgress(verifier, "b-", events / 4);
    shared.kill();
    Thread.sleep(3_000);
    shared.restart();
    Set<String> ids = traffic.ids();
    awaitResults(verifier, ids, Duration.ofMinutes(4), processor);
    OutputVerifier.Counts counts = verifier.counts(s.entities, ids);
    report(s.name, "broker SIGKILLed at 25% and restarted after 3 s: " + counts);
    assertExactlyOnce(counts);
    assertThat(processor.isAlive()).isTrue();
    assertNoCrash(processor);
  }

  @Test
  void badInputIsDeadLetteredOneForOneAndGoodInputFlows() throws Exception {
    Scenario s = new Scenario("bad-input", "exactly_once_v2", "ner,translate,summarize");
    OutputVerifier verifier = s.verifier();
    ProcessorProcess processor = s.processor("a");
    processor.start();
    EventTraffic traffic = s.traffic();
    Map<String, String> expectedReasons = new LinkedHashMap<>();
    byte[] good = Codecs.TEXT_EVENT.encode(EventTraffic.ner("x", 0));
    byte[] corrupt = good.clone();
    for (int i = 10; i < corrupt.length; i++) {
      corrupt[i] = (byte) 0xFF;
    }
    traffic.sendRaw("bad-corrupt", corrupt, 0);
    expectedReasons.put("bad-corrupt", "MALFORMED_PAYLOAD");
    traffic.sendRaw("bad-magic", "not avro at all".getBytes(), 0);
    expectedReasons.put("bad-magic", "MALFORMED_PAYLOAD");
    traffic.sendRaw("bad-schema-id", new byte[] {0, 0, 0, 0, 42, 2, 'x'}, 0);
    expectedReasons.put("bad-schema-id", "UNKNOWN_SCHEMA");
    traffic.sendRaw("bad-null", null, 0);
    expectedReasons.put("bad-null", "NULL_VALUE");
    traffic.send(TextEvent.newBuilder(EventTraffic.ner("", 0)).build(), 1);
    expectedReasons.put("", "INVALID_EVENT");
    traffic.send(TextEvent.newBuilder(EventTraffic.ner("bad-huge", 0))
        .setText("word ".repeat(220_000)).build(), 1);
    expectedReasons.put("bad-huge", "TEXT_TOO_LARGE");
    traffic.send(TextEvent.newBuilder(EventTraffic.ner("bad-task", 0))
        .setTasks(List.of(Task.UNKNOWN)).build(), 2);
    expectedReasons.put("bad-task", "UNSUPPORTED_TASK");
    traffic.send(translation("bad-language", TranslationOptions.newBuilder()
        .setTargetLanguage("ja").build()), 2);
    expectedReasons.put("bad-language", "UNSUPPORTED_LANGUAGE");
    traffic.send(TextEvent.newBuilder(EventTraffic.ner("bad-ner-model", 0))
        .setOptions(TaskOptions.newBuilder().setNer(NerOptions.newBuilder()
            .setModel("no-such-model").build()).build()).build(), 3);
    expectedReasons.put("bad-ner-model", "UNSUPPORTED_OPTION");
    traffic.send(TextEvent.newBuilder(EventTraffic.ner("bad-strategy", 0))
        .setOptions(TaskOptions.newBuilder().setNer(NerOptions.newBuilder()
            .setAggregationStrategy("median").build()).build()).build(), 3);
    expectedReasons.put("bad-strategy", "UNSUPPORTED_OPTION");
    traffic.send(translation("bad-translation-model", TranslationOptions.newBuilder()
        .setTargetLanguage("de").setModel("no-such-model").build()), 3);
    expectedReasons.put("bad-translation-model", "UNSUPPORTED_OPTION");
    traffic.send(translation("bad-beams", TranslationOptions.newBuilder()
        .setTargetLanguage("de").setNumBeams(99).build()), 4);
    expectedReasons.put("bad-beams", "UNSUPPORTED_OPTION");
    traffic.send(translation("bad-max-new", TranslationOptions.newBuilder()
        .setTargetLanguage("de").setMaxNewTokens(100_000).build()), 4);
    expectedReasons.put("bad-max-new", "UNSUPPORTED_OPTION");
    traffic.send(summary("bad-summary-model", SummaryOptions.newBuilder()
        .setModel("no-such-model").build()), 5);
    expectedReasons.put("bad-summary-model", "UNSUPPORTED_OPTION");
    traffic.send(summary("bad-min-length", SummaryOptions.newBuilder().setMinLength(400)
        .setMaxNewTokens(8).build()), 5);
    expectedReasons.put("bad-min-length", "UNSUPPORTED_OPTION");
    traffic.send(TextEvent.newBuilder(EventTraffic.ner("bad-attributes", 0))
        .setAttributes(Map.of("blob", "y".repeat(2 * 1024 * 1024))).build(), 5);
    expectedReasons.put("bad-attributes", "RECORD_TOO_LARGE");

    // Not errors: these get (possibly empty) results.
    Set<String> fine = new HashSet<>();
    for (Map.Entry<String, String> text : Map.of("ok-empty", "", "ok-blank", "  \n\t ",
        "ok-nul", "Angela\u0000Merkel met Tim Cook.", "ok-surrogate",
        "Lone \uD800 surrogate in Berlin.").entrySet()) {
      traffic.send(TextEvent.newBuilder(EventTraffic.ner(text.getKey(), 0))
          .setText(text.getValue()).build(), 0);
      fine.add(text.getKey());
    }
    // Valid events behind the bad ones on every partition must still flow.
    for (int p = 0; p < PARTITIONS; p++) {
      for (int n = 0; n < 3; n++) {
        String id = "ok-" + p + "-" + n;
        traffic.send(EventTraffic.ner(id, n), p);
        fine.add(id);
      }
    }
    traffic.flush();
    awaitResults(verifier, fine, Duration.ofMinutes(2), processor);
    assertThat(verifier.await(o -> verifier.deadLetters().size() >= expectedReasons.size(),
        Duration.ofSeconds(60))).isTrue();
    Thread.sleep(2_000); // nothing more may arrive
    Map<String, String> actual = verifier.deadLetters().stream().collect(Collectors.toMap(
        d -> d.eventId() == null ? keyOf(d) : d.eventId(), OutputVerifier.Output::reason,
        (a, b) -> a + "," + b, LinkedHashMap::new));
    report(s.name, expectedReasons.size() + " bad inputs -> " + verifier.deadLetters().size()
        + " dead letters " + actual + "; " + fine.size() + " good events -> "
        + verifier.resultCount(fine::contains) + " results");
    assertThat(verifier.deadLetters()).hasSize(expectedReasons.size());
    assertThat(actual).isEqualTo(expectedReasons);
    assertThat(processor.isAlive()).isTrue();
    assertNoCrash(processor);
  }

  /** Dead letters of undecodable values have no event id: the test keyed them by record key. */
  private static String keyOf(OutputVerifier.Output deadLetter) {
    try {
      var letter = Codecs.DEAD_LETTER.decode(deadLetter.value());
      ByteBuffer key = letter.getOriginalKey();
      return key == null ? "?" : new String(dev.nlpstreams.faults.Bytes.of(key));
    } catch (Exception e) {
      return "?";
    }
  }

  private static TextEvent translation(String id, TranslationOptions options) {
    return TextEvent.newBuilder().setEventId(id).setText("the child laughs.").setLanguage("en")
        .setTasks(List.of(Task.TRANSLATE))
        .setOptions(TaskOptions.newBuilder().setTranslation(options).build()).build();
  }

  private static TextEvent summary(String id, SummaryOptions options) {
    return TextEvent.newBuilder().setEventId(id)
        .setText("A young woman buys a red umbrella. The dog runs.")
        .setTasks(List.of(Task.SUMMARIZE))
        .setOptions(TaskOptions.newBuilder().setSummary(options).build()).build();
  }

  private static Set<String> sendHeavyBurst(EventTraffic traffic, int heavy)
      throws InterruptedException {
    Set<String> heavyIds = new HashSet<>();
    for (int n = 0; n < heavy; n++) {
      String id = "heavy-" + n;
      traffic.send(EventTraffic.heavyTranslation(id, 40, 8, 250), 0);
      heavyIds.add(id);
    }
    traffic.flush();
    return heavyIds;
  }

  @Test
  void heavyGenerationBurstNeitherStallsNerNorExpelsAConsumer() throws Exception {
    Scenario s = new Scenario("heavy-burst", "exactly_once_v2", "ner,translate");
    // The burst would hold an inline flush far beyond this; the poll loop must not care.
    s.settings.put("max.poll.interval.ms", "30000");
    int heavy = 8 * SCALE;
    OutputVerifier verifier = s.verifier();
    ProcessorProcess processor = s.processor("a");
    processor.start();
    awaitLogged(processor, "Kafka Streams state REBALANCING -> RUNNING", Duration.ofSeconds(90));
    EventTraffic traffic = s.traffic();
    long burstSent = System.nanoTime();
    Set<String> heavyIds = sendHeavyBurst(traffic, heavy);
    // NER traffic on every partition while the burst runs.
    Set<String> nerIds = traffic.sendNer("n", 600, 60);
    long nerSent = System.nanoTime();
    awaitResults(verifier, nerIds, Duration.ofMinutes(2), processor);
    awaitResults(verifier, heavyIds, Duration.ofMinutes(10), processor);
    OutputVerifier.Counts heavyCounts = verifier.counts(s.translations, heavyIds);
    OutputVerifier.Counts nerCounts = verifier.counts(s.entities, nerIds);
    long heavyDone = verifier.outputs().stream().filter(o -> heavyIds.contains(o.eventId()))
        .mapToLong(OutputVerifier.Output::arrivedNanos).max().orElseThrow();
    // While generation runs and NER is being sent, NER results keep coming: the longest silence
    // between them stays short. With flushes on the stream thread it lasted a whole generation
    // flush (here the burst took seconds to tens of seconds).
    long windowEnd = Math.min(heavyDone, nerSent);
    List<Long> nerArrivals = verifier.outputs().stream()
        .filter(o -> nerIds.contains(o.eventId()) && o.arrivedNanos() <= windowEnd)
        .map(OutputVerifier.Output::arrivedNanos).sorted().toList();
    long longestGapMs = 0;
    long previous = burstSent;
    for (long arrived : nerArrivals) {
      longestGapMs = Math.max(longestGapMs, (arrived - previous) / 1_000_000);
      previous = arrived;
    }
    report(s.name, heavy + " heavy translations (40 sentences, 8 beams, 250 new tokens) on one"
        + " partition + 600 NER events: the burst took " + (heavyDone - burstSent) / 1_000_000
        + " ms; " + nerArrivals.size() + " NER results arrived meanwhile, the longest gap "
        + longestGapMs + " ms. Heavy: " + heavyCounts + "; NER: " + nerCounts);
    assertThat(longestGapMs).as("longest silence between NER results during the burst")
        .isLessThan(5_000);
    assertExactlyOnce(heavyCounts);
    assertExactlyOnce(nerCounts);
    assertThat(verifier.deadLetters()).isEmpty();
    assertThat(processor.logged("consumer poll timeout has expired")).isFalse();
    assertThat(processor.logged("RUNNING -> REBALANCING")).as("nobody left the group").isFalse();
    assertNoCrash(processor);
  }

  @Test
  void sigtermDuringALongGenerationFlushExitsCleanlyAndLosesNothing() throws Exception {
    Scenario s = new Scenario("sigterm-flush", "exactly_once_v2", "translate");
    // Enough that generation is still running 2 s in: with the decoder cache kept native, 8 heavy
    // translations finished in under 2 s on the CI machine kind.
    int heavy = 32 * SCALE;
    OutputVerifier verifier = s.verifier();
    ProcessorProcess processor = s.processor("a");
    processor.start();
    awaitLogged(processor, "Kafka Streams state REBALANCING -> RUNNING", Duration.ofSeconds(90));
    Set<String> heavyIds = sendHeavyBurst(s.traffic(), heavy);
    // The burst's flushes take seconds; stop the processor in the middle of them.
    Thread.sleep(2_000);
    long doneAtSigterm = verifier.resultCount(heavyIds::contains);
    Duration shutdown = processor.terminate(Duration.ofSeconds(30));
    boolean stoppedCleanly = processor.logged("nlp-streams stopped");
    String stoppedLog = processor.tail();
    processor.start();
    awaitResults(verifier, heavyIds, Duration.ofMinutes(10), processor);
    OutputVerifier.Counts counts = verifier.counts(s.translations, heavyIds);
    report(s.name, "SIGTERM 2 s into a burst of " + heavy + " heavy translations, " + doneAtSigterm
        + " done by then: exit in " + shutdown + " (clean-stop line logged: " + stoppedCleanly
        + "); after restart: " + counts);
    assertThat(doneAtSigterm).as("the burst was still running at SIGTERM").isLessThan(heavy);
    assertThat(shutdown).isLessThan(Duration.ofSeconds(20));
    assertThat(stoppedCleanly).as("clean-stop line logged; last lines:%n%s", stoppedLog).isTrue();
    assertThat(stoppedLog).as("the processor's last log lines").doesNotContain("Exception in thread");
    assertExactlyOnce(counts);
    assertThat(verifier.deadLetters()).isEmpty();
    assertNoCrash(processor);
  }

  @Test
  void aStalledRunIsCancelledItsRecordDeadLetteredAndTheRestDelivered() throws Exception {
    Scenario s = new Scenario("stall", "exactly_once_v2", "ner");
    s.settings.put("nlp.inference.run.timeout.ms", "2000");
    s.settings.put("nlp.batch.max.records", "8");
    s.settings.put("nlp.batch.max.wait.ms", "500");
    OutputVerifier verifier = s.verifier();
    ProcessorProcess processor = s.processor("a", StallingProcessorMain.class.getName());
    processor.start();
    EventTraffic traffic = s.traffic();
    Set<String> good = new HashSet<>();
    for (int n = 0; n < 24; n++) {
      String id = "st-" + n;
      TextEvent event = EventTraffic.ner(id, n);
      if (n == 10) {
        event.setText("Angela Merkel met " + StallingProcessorMain.MARKER + " in Berlin.");
      } else {
        good.add(id);
      }
      traffic.send(event, 0);
    }
    traffic.flush();
    long sent = System.nanoTime();
    awaitResults(verifier, good, Duration.ofMinutes(2), processor);
    assertThat(verifier.await(o -> !verifier.deadLetters().isEmpty(), Duration.ofSeconds(30)))
        .isTrue();
    long took = (System.nanoTime() - sent) / 1_000_000;
    OutputVerifier.Counts counts = verifier.counts(s.entities, good);
    List<OutputVerifier.Output> letters = verifier.deadLetters();
    report(s.name, "one record stalls every run it is in (deadline 2000 ms): " + letters.size()
        + " dead letter(s) " + letters.stream().map(d -> d.eventId() + "=" + d.reason()).toList()
        + ", all " + good.size() + " others in " + took + " ms: " + counts);
    assertThat(letters).extracting(OutputVerifier.Output::eventId).containsExactly("st-10");
    assertThat(letters).extracting(OutputVerifier.Output::reason)
        .containsExactly("INFERENCE_TIMEOUT");
    assertExactlyOnce(counts);
    assertThat(processor.logged("RUNNING -> REBALANCING")).as("no rebalance").isFalse();
    assertNoCrash(processor);
  }

  @Test
  void backPressurePausesIntakeWithoutLeavingTheGroupAndLosesNothing() throws Exception {
    Scenario s = new Scenario("back-pressure", "exactly_once_v2", "ner");
    s.settings.put("nlp.backpressure.max.records", "16");
    s.settings.put("nlp.batch.max.records", "8");
    int events = 2_000 * SCALE;
    OutputVerifier verifier = s.verifier();
    EventTraffic traffic = s.traffic();
    // The whole burst is on the topic before the processor starts: intake outruns inference.
    Set<String> ids = traffic.sendNer("p", events, 100_000);
    ProcessorProcess processor = s.processor("a");
    processor.start();
    awaitResults(verifier, ids, Duration.ofMinutes(3), processor);
    OutputVerifier.Counts counts = verifier.counts(s.entities, ids);
    report(s.name, events + " events queued before start, bound 16 records in inference: "
        + counts);
    assertThat(processor.logged("intake paused")).isTrue();
    assertThat(processor.logged("intake resumed")).isTrue();
    assertThat(processor.logged("RUNNING -> REBALANCING")).as("nobody left the group").isFalse();
    assertExactlyOnce(counts);
    assertNoCrash(processor);
  }
}
