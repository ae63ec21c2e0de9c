package dev.nlpstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nlpstreams.schema.Codecs;
import dev.nlpstreams.schema.avro.Summary;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.schema.avro.Translation;
import dev.nlpstreams.schema.avro.internal.BufferedRecord;
import dev.nlpstreams.text.chunking.ChunkedText;
import dev.nlpstreams.text.generation.GenerationConfig;
import dev.nlpstreams.text.task.GeneratedText;
import dev.nlpstreams.text.task.ModelIdentity;
import dev.nlpstreams.text.translation.TranslationRouter;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The assemble steps on hand-made model results, with no model behind the tasks: what a record's
 * output says follows from its result alone.
 */
class AssembleStepsTest {

  private static final ModelIdentity MARIAN = new ModelIdentity("marian-en-de", "abc123", "cpu");
  private static final GenerationConfig GREEDY = GenerationConfig.fromLayers(
      List.of(Map.of("decoder_start_token_id", 0, "eos_token_id", 1, "pad_token_id", 0)));
  private static final ModelBatchTask.BatchRun RUN = new ModelBatchTask.BatchRun(1_000, 40, 8);

  private static PendingRecord pending(String id, String text, Task task) {
    TextEvent event = TextEvent.newBuilder().setEventId(id).setText(text).setLanguage("en")
        .setTasks(List.of(task)).setAttributes(Map.of("tenant", "a")).build();
    BufferedRecord buffered = BufferedRecord.newBuilder()
        .setSourceTopic("in").setSourcePartition(3).setSourceOffset(42)
        .setSourceTimestamp(500)
        .setOriginalValue(ByteBuffer.wrap(Codecs.TEXT_EVENT.encode(event)))
        .setEnqueuedAt(900).build();
    return new PendingRecord(7, buffered, event);
  }

  private static GeneratedText generated(String text, boolean hitPositionLimit) {
    return new GeneratedText(text, new int[] {5, 1}, -0.1, 4, hitPositionLimit);
  }

  @Test
  void aTranslationIsTheChunkOutputsStitchedAndIsTruncatedWhenAnyChunkHitTheLimit() {
    String text = "the dog runs. the cat sleeps.\n\nthe bird sings.";
    PendingRecord record = pending("t1", text, Task.TRANSLATE);
    ChunkedText chunks = ChunkedText.ofSpans(text, List.of(new ChunkedText.Span(0, 13),
        new ChunkedText.Span(14, 29), new ChunkedText.Span(31, 46)), false, 12);
    TranslationRouter.Route route =
        new TranslationRouter.Route("marian-en-de", "en", true, "de", false);
    TranslationBatchTask.TranslatedRecord result = new TranslationBatchTask.TranslatedRecord(
        route, GREEDY, MARIAN, chunks, List.of(generated(" der Hund läuft. ", false),
            generated("die Katze schläft.", true), generated("der Vogel singt.", false)));

    Translation out = new TranslationBatchTask(null, null, "sink", 1_000)
        .assemble(record, result, RUN);

    assertThat(out.getText()).isEqualTo("der Hund läuft. die Katze schläft.\n\nder Vogel singt.");
    assertThat(out.getChunkCount()).isEqualTo(3);
    assertThat(out.getTruncated()).as("the second chunk ran out of positions").isTrue();
    assertThat(out.getSourceLanguage()).isEqualTo("en");
    assertThat(out.getSourceLanguageDetected()).isTrue();
    assertThat(out.getModel().getName()).isEqualTo("marian-en-de");
    assertThat(out.getModel().getVersion()).isEqualTo("abc123");
    assertThat(out.getTimings().getBufferedMs()).isEqualTo(100);
    assertThat(out.getTimings().getBatchSize()).isEqualTo(8);
    assertThat(out.getSource().getOffset()).isEqualTo(42);
    assertThat(out.getAttributes()).containsEntry("tenant", "a");
  }

  @Test
  void aTranslationIntoItsOwnLanguageIsTheTextUntouchedByAnyModel() {
    PendingRecord record = pending("t2", "the dog runs.", Task.TRANSLATE);
    TranslationBatchTask.TranslatedRecord result = new TranslationBatchTask.TranslatedRecord(
        new TranslationRouter.Route(null, "en", false, "en", true), null, null, null, List.of());

    Translation out = new TranslationBatchTask(null, null, "sink", 1_000)
        .assemble(record, result, RUN);

    assertThat(out.getText()).isEqualTo("the dog runs.");
    assertThat(out.getModel().getName()).isEqualTo(TranslationBatchTask.PASSTHROUGH_MODEL);
    assertThat(out.getChunkCount()).isZero();
    assertThat(out.getTruncated()).isFalse();
  }

  @Test
  void aSummaryCarriesItsRoundsChunksAndTruncation() {
    PendingRecord record = pending("s1", "Ann came home. She was tired.", Task.SUMMARIZE);
    SummaryBatchTask.SummarizedRecord result = new SummaryBatchTask.SummarizedRecord(
        "Ann came home.", GREEDY, MARIAN, 3, 2, true);

    Summary out = new SummaryBatchTask(null, "sink", 1_000).assemble(record, result, RUN);

    assertThat(out.getText()).isEqualTo("Ann came home.");
    assertThat(out.getChunkCount()).isEqualTo(3);
    assertThat(out.getSummaryRounds()).isEqualTo(2);
    assertThat(out.getTruncated()).isTrue();
    assertThat(out.getLanguage()).isEqualTo("en");
    assertThat(out.getTimings().getInferenceMs()).isEqualTo(40);
  }
}
