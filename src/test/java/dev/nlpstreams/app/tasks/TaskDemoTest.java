package dev.nlpstreams.app.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.schema.avro.Embedding;
import dev.nlpstreams.schema.avro.ModelInfo;
import dev.nlpstreams.schema.avro.TextEvent;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The demo samples each module contributes, and how a module without a bundled model prints. */
class TaskDemoTest {

  @Test
  void everyModulesSamplesAskForThatTaskOnlyAndHaveUniqueIds() {
    Set<String> ids = new HashSet<>();
    for (TaskModule module : TaskModules.ALL) {
      List<TaskDemo.Sample> samples = module.demo().samples();
      assertThat(samples).as(module.name()).isNotEmpty();
      for (TaskDemo.Sample sample : samples) {
        TextEvent event = sample.event();
        // The demo and the soak count one output (or one dead letter) per sample.
        assertThat(event.getTasks()).as(event.getEventId()).containsExactly(module.task());
        assertThat(ids.add(event.getEventId())).as("unique id " + event.getEventId()).isTrue();
      }
    }
  }

  @Test
  void anEmbeddingIsShownByItsWidthItsFirstValuesAndHowItWasPooled() {
    TaskDemo demo = new EmbedModule().demo();
    TaskDemo.Sample sample = demo.samples().get(0);
    Embedding embedding = Embedding.newBuilder()
        .setEventId(sample.event().getEventId())
        .setVector(List.of(0.5f, -0.25f, 0.125f, 0.0625f, 0.75f, 0.1f))
        .setDimension(6)
        .setNormalized(true)
        .setPooling("mean")
        .setModel(ModelInfo.newBuilder().setName("all-MiniLM-L6-v2").build())
        .setTokenCount(9)
        .build();

    String lines = demo.describe(embedding, sample);

    assertThat(lines).contains("[embed-1] (a sentence)", sample.event().getText(),
        "-> 6 floats [0.5000, -0.2500, 0.1250, 0.0625, ...]",
        "model all-MiniLM-L6-v2, mean pooling, unit length, 9 token(s)");
  }
}
