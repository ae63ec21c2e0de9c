package dev.nlpstreams.app;

import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import java.util.List;
import java.util.Map;

/** The demo's sample sentences, encoded the way a producer would send them. */
final class SampleEvents {
  static final List<String> SENTENCES = List.of(
      "Angela Merkel met Tim Cook in Berlin.",
      "Zoë Schmidt works for Deutsche Bank in Frankfurt.",
      "The United Nations opened an office in São Paulo.",
      "Barack Obama visited Microsoft in Seattle last year.",
      "Maria García flew from Madrid to 東京 with Lufthansa. ✈️");

  private SampleEvents() {}

  static TextEvent event(String id, String text) {
    return TextEvent.newBuilder()
        .setEventId(id)
        .setText(text)
        .setLanguage("en")
        .setTasks(List.of(Task.NER))
        .setAttributes(Map.of("source", "demo"))
        .build();
  }

  static byte[] encoded(String id, String text) {
    return Codecs.TEXT_EVENT.encode(event(id, text));
  }
}
