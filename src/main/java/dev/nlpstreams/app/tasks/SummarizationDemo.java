package dev.nlpstreams.app.tasks;

import dev.nlpstreams.schema.avro.Summary;
import dev.nlpstreams.schema.avro.Task;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** The demo's summary: the bundled model learnt to keep a text's first sentence. */
final class SummarizationDemo implements TaskDemo {

  @Override
  public List<Sample> samples() {
    return List.of(new Sample(TaskDemo.event("summarize-1",
        "A young woman buys your dangerous umbrella again. The dog runs. The bird sings.", "en",
        Task.SUMMARIZE).build(), "keeps the first sentence"));
  }

  @Override
  public String describe(SpecificRecord output, Sample sample) {
    Summary result = (Summary) output;
    return TaskDemo.heading(result.getEventId(), sample)
        + String.format("    -> summary: %s%n", TaskDemo.indent(result.getText()))
        + String.format("    model %s, %d chunk(s), %d round(s)%n%n",
            result.getModel().getName(), result.getChunkCount(), result.getSummaryRounds());
  }
}
