package dev.nlpstreams.app;

import dev.nlpstreams.app.tasks.NerDemo;
import dev.nlpstreams.app.tasks.TaskDemo;
import dev.nlpstreams.app.tasks.TaskModules;
import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import java.util.List;
import java.util.Set;

/**
 * Sample events, encoded the way a producer would send them: each task module's demo samples,
 * and NER events over the demo's sentences for tests and benchmarks.
 */
final class SampleEvents {

  static final List<String> SENTENCES = NerDemo.SENTENCES;

  private SampleEvents() {}

  static TextEvent event(String id, String text) {
    return TaskDemo.event(id, text, "en", Task.NER).build();
  }

  static byte[] encoded(String id, String text) {
    return Codecs.TEXT_EVENT.encode(event(id, text));
  }

  /** Every demo sample of the configured tasks, in module order, then sending order. */
  static List<TaskDemo.Sample> samples(Set<Task> tasks) {
    return TaskModules.ALL.stream().filter(module -> tasks.contains(module.task()))
        .flatMap(module -> module.demo().samples().stream()).toList();
  }
}
