package dev.nlpstreams.app.tasks;

import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TaskOptions;
import dev.nlpstreams.schema.avro.Translation;
import dev.nlpstreams.schema.avro.TranslationOptions;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** The demo's translations: routing by pair, language detection, paragraphs, a dead letter. */
final class TranslationDemo implements TaskDemo {

  private static Sample sample(String id, String text, String language, String target,
      String shows, boolean deadLetter) {
    return new Sample(TaskDemo.event(id, text, language, Task.TRANSLATE)
        .setOptions(TaskOptions.newBuilder()
            .setTranslation(TranslationOptions.newBuilder().setTargetLanguage(target).build())
            .build())
        .build(), shows, deadLetter);
  }

  @Override
  public List<Sample> samples() {
    return List.of(
        sample("translate-1", "the young woman buys a red umbrella.", "en", "de",
            "en->de, the Marian model", false),
        sample("translate-2", "my old cat sleeps, because the dog runs.", "en", "fr",
            "en->fr, routed to the multilingual model", false),
        sample("translate-3", "the teacher sees a small bird today.", null, "de",
            "no language given: detected as English", false),
        sample("translate-4",
            "the king paints a sunflower. the queen reads a letter.\n\nthe child laughs.", "en",
            "de", "three sentences, paragraph kept", false),
        sample("translate-5", "the dog runs.", "en", "ja",
            "no model translates into Japanese: a dead letter", true));
  }

  @Override
  public String describe(SpecificRecord output, Sample sample) {
    Translation result = (Translation) output;
    return TaskDemo.heading(result.getEventId(), sample)
        + String.format("    -> %s: %s%n", result.getTargetLanguage(),
            TaskDemo.indent(result.getText()))
        + String.format("    model %s, source %s%s, %d chunk(s), %s%n%n",
            result.getModel().getName(),
            result.getSourceLanguage().isEmpty() ? "unknown" : result.getSourceLanguage(),
            result.getSourceLanguageDetected() ? " (detected)" : "", result.getChunkCount(),
            result.getDecoding().getNumBeams() == 1 ? "greedy"
                : result.getDecoding().getNumBeams() + " beams");
  }
}
