package dev.nlpstreams.streams;

import dev.nlpstreams.schema.avro.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The topic names a topology reads and writes: one input, one output topic per task, one
 * dead-letter topic. Outputs are keyed by task, so a new task needs no field here.
 *
 * @param outputs each task's output topic; a topology may run only tasks named here
 */
public record Topics(String input, Map<Task, String> outputs, String deadLetters) {
  public Topics {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(deadLetters, "deadLetters");
    Map<Task, String> copy = new EnumMap<>(Task.class);
    outputs.forEach((task, topic) -> copy.put(Objects.requireNonNull(task, "task"),
        Objects.requireNonNull(topic, "output topic of " + task)));
    outputs = Collections.unmodifiableMap(copy);
  }

  /** Every built-in task's topic named. */
  public Topics(String input, String entities, String translations, String summaries,
      String embeddings, String deadLetters) {
    this(input, Map.of(Task.NER, entities, Task.TRANSLATE, translations, Task.SUMMARIZE,
        summaries, Task.EMBED, embeddings), deadLetters);
  }

  /** Every topic but embeddings named; embeddings gets its default name. */
  public Topics(String input, String entities, String translations, String summaries,
      String deadLetters) {
    this(input, entities, translations, summaries, "embeddings", deadLetters);
  }

  /** Input, entities and dead letters with the default translations and summaries topics. */
  public Topics(String input, String entities, String deadLetters) {
    this(input, entities, "translations", "summaries", deadLetters);
  }

  /** The output topic of {@code task}. */
  public String output(Task task) {
    String topic = outputs.get(task);
    if (topic == null) {
      throw new IllegalArgumentException("No output topic for task " + task + "; topics name "
          + outputs.keySet());
    }
    return topic;
  }

  public String entities() {
    return output(Task.NER);
  }

  public String translations() {
    return output(Task.TRANSLATE);
  }

  public String summaries() {
    return output(Task.SUMMARIZE);
  }

  public String embeddings() {
    return output(Task.EMBED);
  }

  /** Input, every output (in task order), dead letters. */
  public List<String> all() {
    List<String> all = new ArrayList<>();
    all.add(input);
    all.addAll(outputs.values());
    all.add(deadLetters);
    return List.copyOf(all);
  }
}
