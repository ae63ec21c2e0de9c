package dev.nlpstreams.app.tasks;

import dev.nlpstreams.schema.avro.Entities;
import dev.nlpstreams.schema.avro.Entity;
import dev.nlpstreams.schema.avro.Task;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** The demo's NER samples (names, places and organisations, some outside ASCII). */
public final class NerDemo implements TaskDemo {

  /** Sentences with entities of every label; tests and benchmarks reuse them as NER input. */
  public static final List<String> SENTENCES = List.of(
      "Angela Merkel met Tim Cook in Berlin.",
      "Zoë Schmidt works for Deutsche Bank in Frankfurt.",
      "The United Nations opened an office in São Paulo.",
      "Barack Obama visited Microsoft in Seattle last year.",
      "Maria García flew from Madrid to 東京 with Lufthansa. ✈️");

  @Override
  public List<Sample> samples() {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < SENTENCES.size(); i++) {
      samples.add(new Sample(
          TaskDemo.event("ner-" + (i + 1), SENTENCES.get(i), "en", Task.NER).build(),
          "entities"));
    }
    return samples;
  }

  @Override
  public String describe(SpecificRecord output, Sample sample) {
    Entities result = (Entities) output;
    StringBuilder lines = new StringBuilder(String.format("[%s] %s%n", result.getEventId(),
        sample == null ? "" : sample.event().getText()));
    if (result.getEntities().isEmpty()) {
      lines.append(String.format("    (no entities)%n"));
    }
    for (Entity entity : result.getEntities()) {
      lines.append(String.format("    %-5s %-22s score %.2f  chars %d-%d%n", entity.getLabel(),
          '"' + entity.getText() + '"', entity.getScore(), entity.getStart(), entity.getEnd()));
    }
    return lines.append(String.format("%n")).toString();
  }
}
