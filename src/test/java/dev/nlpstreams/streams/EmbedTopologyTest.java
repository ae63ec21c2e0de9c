package dev.nlpstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.app.tasks.EmbedModule;
import dev.nlpstreams.metrics.NlpMeters;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.avro.DeadLetter;
import dev.nlpstreams.schema.avro.Embedding;
import dev.nlpstreams.schema.avro.ReasonCode;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.text.batch.FlushPolicy;
import dev.nlpstreams.text.embedding.PoolingConfig;
import dev.nlpstreams.text.embedding.SentenceEmbedder;
import dev.nlpstreams.text.embedding.SentenceEmbedding;
import dev.nlpstreams.text.task.InferenceException;
import dev.nlpstreams.text.task.ModelIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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

/** The embed task in the topology, with a fake embedder: batching, output fields, failures. */
class EmbedTopologyTest {

  private static final Topics TOPICS =
      new Topics("in", "entities", "translations", "summaries", "embeddings", "dlq");

  /** A vector of (characters, words); fails a batch holding "POISON". Records every batch. */
  private static final class FakeEmbedder implements SentenceEmbedder {
    final List<List<String>> batches = new ArrayList<>();

    @Override
    public List<SentenceEmbedding> embed(List<String> texts, long timeoutMs)
        throws InferenceException {
      batches.add(List.copyOf(texts));
      List<SentenceEmbedding> out = new ArrayList<>();
      for (String text : texts) {
        if (text.contains("POISON")) {
          throw new InferenceException("poisoned batch");
        }
        out.add(new SentenceEmbedding(new float[] {text.length(), countTokens(text)},
            countTokens(text) + 2, text.length() > 40));
      }
      return out;
    }

    @Override
    public int dimension() {
      return 2;
    }

    @Override
    public PoolingConfig pooling() {
      return PoolingConfig.mean(2);
    }

    @Override
    public boolean normalizes() {
      return false;
    }

    @Override
    public int countTokens(String text) {
      return text.isBlank() ? 0 : text.trim().split("\\s+").length;
    }

    @Override
    public ModelIdentity identity() {
      return new ModelIdentity("fake-embedder", "v1", "cpu");
    }

    @Override
    public void close() {}
  }

  private final FakeEmbedder embedder = new FakeEmbedder();
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> input;
  private TestOutputTopic<String, byte[]> embeddings;
  private TestOutputTopic<byte[], byte[]> deadLetters;

  @BeforeEach
  void start() {
    NlpTopology.Settings settings = new NlpTopology.Settings("test-app", TOPICS,
        Set.of(Task.NER, Task.EMBED), 100_000,
        new FlushPolicy(3, 10_000, 100), 1024,
        GenerationLimits.defaults(), 5_000, 60_000,
        NlpTopology.Settings.DEFAULT_MAX_RECORD_BYTES);
    // The embed stage comes from its task module, as in the application; NER from its ports.
    List<TaskStage> stages = List.of(BuiltInStages.ner(settings, new FakeRecognizer(),
        TaskEngines.AGGREGATION),
        EmbedModule.stage(settings, embedder));
    driver = TopologyTests.driver(NlpTopology.build(settings, stages, TopologyIo.singleObject(),
        InferenceEngines.direct(), NlpMeters.none()));
    input = driver.createInputTopic("in", new ByteArraySerializer(), new ByteArraySerializer());
    embeddings = TopologyTests.keyedOutput(driver, "embeddings");
    deadLetters = TopologyTests.deadLetterOutput(driver, "dlq");
  }

  @AfterEach
  void close() {
    driver.close();
  }

  private void send(String id, String text, List<Task> tasks) {
    input.pipeInput(id.getBytes(StandardCharsets.UTF_8), Codecs.TEXT_EVENT.encode(
        TextEvent.newBuilder().setEventId(id).setText(text).setTasks(tasks)
            .setAttributes(Map.of("tenant", "t1")).build()));
  }

  private List<Embedding> readEmbeddings() throws Exception {
    return TopologyTests.readKeyed(embeddings, EmbedModule.CODEC, Embedding::getEventId);
  }

  @Test
  void embedEventsBecomeEmbeddingRecordsInBatches() throws Exception {
    send("a", "one two", List.of(Task.EMBED));
    send("b", "three", List.of(Task.EMBED));
    send("c", "four five six", List.of(Task.EMBED));
    List<Embedding> out = readEmbeddings();
    assertThat(out).extracting(Embedding::getEventId).containsExactly("a", "b", "c");
    assertThat(embedder.batches).containsExactly(List.of("one two", "three", "four five six"));
    Embedding a = out.get(0);
    assertThat(a.getVector()).containsExactly(7f, 2f);
    assertThat(a.getDimension()).isEqualTo(2);
    assertThat(a.getNormalized()).isFalse();
    assertThat(a.getPooling()).isEqualTo("mean");
    assertThat(a.getModel().getName()).isEqualTo("fake-embedder");
    assertThat(a.getTokenCount()).isEqualTo(4);
    assertThat(a.getTimings().getBatchSize()).isEqualTo(3);
    assertThat(a.getSource().getTopic()).isEqualTo("in");
    assertThat(a.getAttributes()).containsEntry("tenant", "t1");
  }

  @Test
  void anEventWithoutTasksGetsEveryConfiguredTaskIncludingEmbed() throws Exception {
    send("all", "Ann met Bob", List.of());
    driver.advanceWallClockTime(Duration.ofMillis(200));
    assertThat(readEmbeddings()).extracting(Embedding::getEventId).containsExactly("all");
    assertThat(TopologyTests.readKeyed(TopologyTests.keyedOutput(driver, "entities"),
        Codecs.ENTITIES, e -> e.getEventId())).hasSize(1);
  }

  @Test
  void aFailingRecordIsDeadLetteredAndItsBatchMatesStillEmbedded() throws Exception {
    send("ok1", "fine", List.of(Task.EMBED));
    send("bad", "POISON here", List.of(Task.EMBED));
    send("ok2", "also fine", List.of(Task.EMBED));
    assertThat(readEmbeddings()).extracting(Embedding::getEventId).containsExactly("ok1", "ok2");
    List<DeadLetter> letters = TopologyTests.readDeadLetters(deadLetters);
    assertThat(letters).extracting(DeadLetter::getReason)
        .containsExactly(ReasonCode.INFERENCE_FAILED);
    assertThat(letters.get(0).getTask()).isEqualTo("EMBED");
  }
}
