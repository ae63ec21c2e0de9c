package dev.nlpstreams.app.tasks;

import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the embedded demo shows of one task: the sample events it sends and how it prints the
 * task's output records. Samples that need a model must stay inside the bundled tiny models'
 * synthetic vocabulary (see models/generator): those models learnt a small word list, not a
 * language.
 */
public interface TaskDemo {

  /** A sample event, what it shows, and whether it should become a dead letter. */
  record Sample(TextEvent event, String shows, boolean deadLetter) {
    public Sample(TextEvent event, String shows) {
      this(event, shows, false);
    }
  }

  /** The task's sample events, in sending order; each asks for this task only. */
  List<Sample> samples();

  /**
   * The lines the demo prints for one output record of the task, ending in a blank line.
   *
   * @param sample the sample the record answers, or null when the demo did not send it
   */
  String describe(SpecificRecord output, Sample sample);

  /** A demo event of {@code task} tagged as coming from the demo; callers add options. */
  static TextEvent.Builder event(String id, String text, String language, Task task) {
    return TextEvent.newBuilder()
        .setEventId(id)
        .setText(text)
        .setLanguage(language)
        .setTasks(List.of(task))
        .setAttributes(Map.of("source", "demo"));
  }

  /** The heading line of a generated result: event id, what the sample shows, its text. */
  static String heading(String eventId, Sample sample) {
    return String.format("[%s] (%s)%n    %s%n", eventId, sample == null ? "" : sample.shows(),
        indent(sample == null ? "" : sample.event().getText()));
  }

  /** Continues a multi-line text under the demo's four-space indentation. */
  static String indent(String text) {
    return text.replace("\n", "\n       ");
  }
}
