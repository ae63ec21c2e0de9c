package dev.nlpstreams.app;

import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TaskOptions;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.avro.TranslationOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The demo's sample events, encoded the way a producer would send them. The translation and summary
 * samples stay inside the bundled tiny models' synthetic vocabulary (see models/generator): those
 * models were trained on a small word list, not on real language.
 */
final class SampleEvents {

  static final List<String> SENTENCES = List.of(
      "Angela Merkel met Tim Cook in Berlin.",
      "Zoë Schmidt works for Deutsche Bank in Frankfurt.",
      "The United Nations opened an office in São Paulo.",
      "Barack Obama visited Microsoft in Seattle last year.",
      "Maria García flew from Madrid to 東京 with Lufthansa. ✈️");

  /** A sample: the event, what it shows, and whether it should become a dead letter. */
  record Sample(TextEvent event, String shows, boolean deadLetter) {
    Sample(TextEvent event, String shows) {
      this(event, shows, false);
    }
  }

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

  private static TextEvent translate(String id, String text, String language, String target) {
    return TextEvent.newBuilder()
        .setEventId(id)
        .setText(text)
        .setLanguage(language)
        .setTasks(List.of(Task.TRANSLATE))
        .setOptions(target == null ? null : TaskOptions.newBuilder()
            .setTranslation(TranslationOptions.newBuilder().setTargetLanguage(target).build())
            .build())
        .setAttributes(Map.of("source", "demo"))
        .build();
  }

  /** Every sample for the configured tasks, in sending order. */
  static List<Sample> samples(Set<Task> tasks) {
    List<Sample> samples = new ArrayList<>();
    if (tasks.contains(Task.NER)) {
      for (int i = 0; i < SENTENCES.size(); i++) {
        samples.add(new Sample(event("ner-" + (i + 1), SENTENCES.get(i)), "entities"));
      }
    }
    if (tasks.contains(Task.TRANSLATE)) {
      samples.add(new Sample(translate("translate-1",
          "the young woman buys a red umbrella.", "en", "de"), "en->de, the Marian model"));
      samples.add(new Sample(translate("translate-2",
          "my old cat sleeps, because the dog runs.", "en", "fr"),
          "en->fr, routed to the multilingual model"));
      samples.add(new Sample(translate("translate-3",
          "the teacher sees a small bird today.", null, "de"),
          "no language given: detected as English"));
      samples.add(new Sample(translate("translate-4",
          "the king paints a sunflower. the queen reads a letter.\n\nthe child laughs.",
          "en", "de"), "three sentences, paragraph kept"));
      samples.add(new Sample(translate("translate-5", "the dog runs.", "en", "ja"),
          "no model translates into Japanese: a dead letter", true));
    }
    if (tasks.contains(Task.SUMMARIZE)) {
      samples.add(new Sample(TextEvent.newBuilder()
          .setEventId("summarize-1")
          .setText("A young woman buys your dangerous umbrella again. The dog runs."
              + " The bird sings.")
          .setLanguage("en")
          .setTasks(List.of(Task.SUMMARIZE))
          .build(), "keeps the first sentence"));
    }
    return samples;
  }
}
