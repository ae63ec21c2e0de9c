package dev.nlpstreams.app.tasks;

import dev.nlpstreams.schema.avro.Embedding;
import dev.nlpstreams.schema.avro.Task;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;

/**
 * The demo's embeddings: two sentences that mean much the same and one that does not. No model
 * is bundled for this task, so the demo shows it only when nlp.embed.model names one.
 */
final class EmbedDemo implements TaskDemo {

  private static final int VALUES_SHOWN = 4;

  @Override
  public List<Sample> samples() {
    return List.of(
        new Sample(TaskDemo.event("embed-1", "A man is playing a guitar.", "en", Task.EMBED)
            .build(), "a sentence"),
        new Sample(TaskDemo.event("embed-2", "Someone plays the guitar.", "en", Task.EMBED)
            .build(), "much the same meaning"),
        new Sample(TaskDemo.event("embed-3", "The stock market fell sharply today.", "en",
            Task.EMBED).build(), "another topic"));
  }

  @Override
  public String describe(SpecificRecord output, Sample sample) {
    Embedding result = (Embedding) output;
    String head = result.getVector().stream().limit(VALUES_SHOWN)
        .map(value -> String.format("%.4f", value)).collect(Collectors.joining(", "));
    return TaskDemo.heading(result.getEventId(), sample)
        + String.format("    -> %d floats [%s%s]%n", result.getDimension(), head,
            result.getDimension() > VALUES_SHOWN ? ", ..." : "")
        + String.format("    model %s, %s pooling%s, %d token(s)%n%n",
            result.getModel().getName(), result.getPooling(),
            result.getNormalized() ? ", unit length" : "", result.getTokenCount());
  }
}
