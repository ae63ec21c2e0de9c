package dev.nlpstreams.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nlpstreams.config.ModelPrecision;
import dev.nlpstreams.inference.seq2seq.Seq2SeqModel;
import dev.nlpstreams.inference.seq2seq.Seq2SeqModelDir.DecoderLayout;
import dev.nlpstreams.text.eval.ChrF;
import dev.nlpstreams.text.eval.EntityScore;
import dev.nlpstreams.text.eval.EntityScore.Span;
import dev.nlpstreams.text.ner.AggregationStrategy;
import dev.nlpstreams.text.ner.Entity;
import dev.nlpstreams.text.task.NerRequest;
import dev.nlpstreams.text.task.NerResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The committed int8 twins of the tiny models through the real ONNX Runtime: they load (the
 * quantized graphs are valid for ORT, If branches included) and say nearly what fp32 says.
 */
class Int8AgreementTest {

  private static final Path NER = Path.of("models/tiny/ner-bert-wordpiece");
  private static final Path MARIAN = Path.of("models/tiny/marian-tiny-en-de");
  private static final Path HELD_OUT = Path.of("models/eval/ner-heldout.jsonl");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void int8NerScoresWithinOnePointOfFp32OnTheHeldOutSentences() throws Exception {
    List<String> texts = new ArrayList<>();
    List<List<Span>> gold = new ArrayList<>();
    List<String> lines = Files.readAllLines(HELD_OUT);
    // Every 8th sentence of both sets: 250 sentences, about 500 entities.
    for (int i = 0; i < lines.size(); i += 8) {
      JsonNode record = JSON.readTree(lines.get(i));
      texts.add(record.get("text").asText());
      List<Span> spans = new ArrayList<>();
      record.get("entities").forEach(e -> spans.add(new Span(e.get("type").asText(),
          e.get("start").asInt(), e.get("end").asInt())));
      gold.add(spans);
    }
    InferenceSettings settings = InferenceSettings.cpuDefaults();
    List<List<Span>> fp32;
    List<List<Span>> int8;
    try (OnnxEntityRecognizer model = OnnxEntityRecognizer.load(NER, "fp32", 0, 32, settings)) {
      fp32 = tag(model, texts);
    }
    try (OnnxEntityRecognizer model = OnnxEntityRecognizer.load(NER, "int8", 0, 32,
        settings.withPrecision(ModelPrecision.INT8))) {
      assertThat(model.identity().version())
          .isEqualTo(TokenClassificationModelDir.read(NER, ModelPrecision.INT8).contentHash());
      int8 = tag(model, texts);
    }
    EntityScore fp32Score = new EntityScore();
    EntityScore int8Score = new EntityScore();
    EntityScore agreement = new EntityScore();
    for (int i = 0; i < texts.size(); i++) {
      fp32Score.add(gold.get(i), fp32.get(i));
      int8Score.add(gold.get(i), int8.get(i));
      agreement.add(fp32.get(i), int8.get(i));
    }
    assertThat(fp32Score.overall().gold()).isGreaterThan(400);
    // The tiny model's own quality (0.79 on both full sets): a sanity check of the scoring.
    assertThat(fp32Score.overall().f1()).isBetween(0.7, 0.9);
    assertThat(Math.abs(int8Score.overall().f1() - fp32Score.overall().f1())).isLessThan(0.01);
    assertThat(agreement.overall().f1()).isGreaterThan(0.97);
  }

  @Test
  void int8TranslationsMostlyEqualFp32InBothDecoderLayouts() throws Exception {
    List<String> texts = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("models/reference/inputs/translation.jsonl"))) {
      texts.add(JSON.readTree(line).get("text").asText());
    }
    InferenceSettings settings = InferenceSettings.cpuDefaults();
    List<Seq2SeqModel.Generated> fp32;
    List<Seq2SeqModel.Generated> merged;
    List<Seq2SeqModel.Generated> split;
    try (Seq2SeqModel model = Seq2SeqModel.load(MARIAN, null, settings)) {
      fp32 = model.generate(texts, model.defaults());
    }
    InferenceSettings int8 = settings.withPrecision(ModelPrecision.INT8);
    try (Seq2SeqModel model = Seq2SeqModel.load(MARIAN, DecoderLayout.MERGED, int8)) {
      merged = model.generate(texts, model.defaults());
    }
    try (Seq2SeqModel model = Seq2SeqModel.load(MARIAN, DecoderLayout.SPLIT, int8)) {
      split = model.generate(texts, model.defaults());
    }
    int same = 0;
    ChrF chrF = new ChrF();
    for (int i = 0; i < texts.size(); i++) {
      // Both layouts quantize the same weights the same way: identical int8 outputs.
      assertThat(split.get(i).tokenIds()).as(texts.get(i)).isEqualTo(merged.get(i).tokenIds());
      same += Arrays.equals(merged.get(i).tokenIds(), fp32.get(i).tokenIds()) ? 1 : 0;
      chrF.add(merged.get(i).text(), fp32.get(i).text());
    }
    assertThat(texts).hasSizeGreaterThan(20);
    assertThat((double) same / texts.size()).isGreaterThanOrEqualTo(0.8);
    assertThat(chrF.score()).isGreaterThan(95);
  }

  private static List<List<Span>> tag(OnnxEntityRecognizer model, List<String> texts)
      throws Exception {
    List<NerRequest> requests = texts.stream()
        .map(t -> new NerRequest(t, AggregationStrategy.SIMPLE)).toList();
    List<List<Span>> out = new ArrayList<>();
    for (NerResult result : model.recognize(requests)) {
      List<Span> spans = new ArrayList<>();
      for (Entity e : result.entities()) {
        spans.add(new Span(e.label(), e.startCodePoint(), e.endCodePoint()));
      }
      out.add(spans);
    }
    return out;
  }
}
