package dev.nlpstreams.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nlpstreams.config.ModelPrecision;
import dev.nlpstreams.inference.InferenceSettings;
import dev.nlpstreams.inference.OnnxEntityRecognizer;
import dev.nlpstreams.inference.TokenClassificationModelDir;
import dev.nlpstreams.inference.seq2seq.OnnxTextGenerator;
import dev.nlpstreams.inference.seq2seq.Seq2SeqModelDir;
import dev.nlpstreams.text.eval.ChrF;
import dev.nlpstreams.text.eval.EntityScore;
import dev.nlpstreams.text.eval.EntityScore.Span;
import dev.nlpstreams.text.generation.GenerationConfig;
import dev.nlpstreams.text.ner.AggregationStrategy;
import dev.nlpstreams.text.ner.Entity;
import dev.nlpstreams.text.task.GeneratedText;
import dev.nlpstreams.text.task.GenerationRequest;
import dev.nlpstreams.text.task.InferenceException;
import dev.nlpstreams.text.task.NerRequest;
import dev.nlpstreams.text.task.NerResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code accuracy}: what int8 costs in quality. Runs the fp32 and the int8 graphs of the same model
 * directory on the same inputs: NER entity F1 of each against the gold entities of the held-out
 * synthetic sets (and of int8 against fp32), translation exact match and chrF of the int8 outputs
 * against the fp32 outputs. A tooling command, not part of the processor.
 */
final class AccuracyReport {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USAGE = "accuracy [--ner-model DIR] [--ner-set FILE] [--ner-limit N]"
      + " [--translation-model DIR] [--translation-inputs FILE.jsonl] [--sentences N]"
      + " [--task translate|summarize] [--max-new-tokens N] [--out FILE.md]";

  private AccuracyReport() {}

  static int main(List<String> args, PrintStream out) throws Exception {
    List<Path> nerModels = new ArrayList<>();
    List<Path> translationModels = new ArrayList<>();
    Path nerSet = Path.of("models/eval/ner-heldout.jsonl");
    int nerLimit = 0;
    Path translationInputs = null;
    int sentences = 64;
    int maxNewTokens = 64;
    Purpose purpose = Purpose.TRANSLATE;
    Path report = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException(arg + " needs a value; " + USAGE);
      }
      String value = args.get(++i);
      switch (arg) {
        case "--ner-model" -> nerModels.add(Path.of(value));
        case "--ner-set" -> nerSet = Path.of(value);
        case "--ner-limit" -> nerLimit = Integer.parseInt(value);
        case "--translation-model" -> translationModels.add(Path.of(value));
        case "--translation-inputs" -> translationInputs = Path.of(value);
        case "--sentences" -> sentences = Integer.parseInt(value);
        case "--max-new-tokens" -> maxNewTokens = Integer.parseInt(value);
        case "--task" -> purpose = Purpose.valueOf(value.toUpperCase(Locale.ROOT));
        case "--out" -> report = Path.of(value);
        default -> throw new IllegalArgumentException("Unknown option " + arg + "; " + USAGE);
      }
    }
    if (nerModels.isEmpty() && translationModels.isEmpty()) {
      throw new IllegalArgumentException("Name a model to compare; " + USAGE);
    }
    InferenceSettings settings = InferenceSettings.cpuDefaults().withRunTimeoutMs(600_000);
    StringBuilder md = new StringBuilder();
    if (!nerModels.isEmpty()) {
      HeldOut heldOut = HeldOut.read(nerSet, nerLimit);
      md.append("NER: entity F1 (exact type and span, micro-averaged, simple aggregation) on ")
          .append(heldOut.texts.size()).append(" held-out sentences of ").append(nerSet)
          .append("; agreement = entity F1 of int8 taking fp32's entities as the gold ones.\n\n")
          .append("| model | precision | graph MB | F1 both sets | F1 known names | F1 unseen names"
              + " | ΔF1 (points) | agreement with fp32 |\n|---|---|---|---|---|---|---|---|\n");
      for (Path model : nerModels) {
        ner(model, heldOut, settings, md);
      }
      md.append('\n');
    }
    if (!translationModels.isEmpty()) {
      List<String> texts = translationInputs == null
          ? BenchWorkload.translationInputs(sentences, 7) : readTexts(translationInputs);
      md.append(purpose == Purpose.SUMMARIZE ? "Summaries" : "Translation en->de")
          .append(": greedy, at most ").append(maxNewTokens).append(" new tokens, ")
          .append(texts.size()).append(" sentences (")
          .append(translationInputs == null ? "bench workload, seed 7" : translationInputs)
          .append("); int8 outputs against fp32 outputs.\n\n")
          .append("| model | fp32 graphs MB | int8 graphs MB | exact match (text) | same token ids"
              + " | chrF (n=6, β=2) |\n|---|---|---|---|---|---|\n");
      for (Path model : translationModels) {
        translation(model, texts, purpose, maxNewTokens, settings, md);
      }
      md.append('\n');
    }
    out.print(md);
    if (report != null) {
      Files.writeString(report, md.toString(), StandardCharsets.UTF_8);
    }
    return 0;
  }

  private record HeldOut(List<String> texts, List<String> sets, List<List<Span>> gold) {
    static HeldOut read(Path file, int limit) throws IOException {
      List<String> texts = new ArrayList<>();
      List<String> sets = new ArrayList<>();
      List<List<Span>> gold = new ArrayList<>();
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      // A limit takes every k-th sentence, so both sets stay represented.
      int step = limit > 0 ? Math.max(1, lines.size() / limit) : 1;
      for (int i = 0; i < lines.size() && (limit <= 0 || texts.size() < limit); i += step) {
        JsonNode record = JSON.readTree(lines.get(i));
        texts.add(record.get("text").asText());
        sets.add(record.path("set").asText(""));
        List<Span> spans = new ArrayList<>();
        record.get("entities").forEach(e -> spans.add(new Span(e.get("type").asText(),
            e.get("start").asInt(), e.get("end").asInt())));
        gold.add(spans);
      }
      return new HeldOut(texts, sets, gold);
    }
  }

  private static void ner(Path model, HeldOut heldOut, InferenceSettings settings,
      StringBuilder md) throws InferenceException {
    Map<ModelPrecision, List<List<Span>>> predicted = new LinkedHashMap<>();
    for (ModelPrecision precision : ModelPrecision.values()) {
      try (OnnxEntityRecognizer recognizer = OnnxEntityRecognizer.load(model,
          model.getFileName() + "-" + precision, 0, 32, settings.withPrecision(precision))) {
        predicted.put(precision, tag(recognizer, heldOut.texts));
      }
    }
    double fp32F1 = 0;
    for (ModelPrecision precision : ModelPrecision.values()) {
      EntityScore all = new EntityScore();
      EntityScore seen = new EntityScore();
      EntityScore unseen = new EntityScore();
      EntityScore agreement = new EntityScore();
      List<List<Span>> spans = predicted.get(precision);
      for (int i = 0; i < heldOut.texts.size(); i++) {
        all.add(heldOut.gold.get(i), spans.get(i));
        (heldOut.sets.get(i).startsWith("unseen") ? unseen : seen)
            .add(heldOut.gold.get(i), spans.get(i));
        agreement.add(predicted.get(ModelPrecision.FP32).get(i), spans.get(i));
      }
      double f1 = all.overall().f1();
      if (precision == ModelPrecision.FP32) {
        fp32F1 = f1;
      }
      Path graph = TokenClassificationModelDir.read(model, precision).onnxModel();
      md.append("| ").append(model.getFileName()).append(" | ").append(precision).append(" | ")
          .append(mb(List.of(graph))).append(" | ").append(f3(f1)).append(" | ")
          .append(f3(seen.overall().f1())).append(" | ").append(f3(unseen.overall().f1()))
          .append(" | ").append(precision == ModelPrecision.FP32 ? "" : String.format(Locale.ROOT,
              "%+.2f", 100 * (f1 - fp32F1)))
          .append(" | ").append(f3(agreement.overall().f1())).append(" |\n");
    }
  }

  private static List<List<Span>> tag(OnnxEntityRecognizer recognizer, List<String> texts)
      throws InferenceException {
    List<List<Span>> out = new ArrayList<>();
    for (int from = 0; from < texts.size(); from += 256) {
      List<NerRequest> batch = texts.subList(from, Math.min(texts.size(), from + 256)).stream()
          .map(t -> new NerRequest(t, AggregationStrategy.SIMPLE)).toList();
      for (NerResult result : recognizer.recognize(batch)) {
        List<Span> spans = new ArrayList<>();
        for (Entity e : result.entities()) {
          spans.add(new Span(e.label(), e.startCodePoint(), e.endCodePoint()));
        }
        out.add(spans);
      }
    }
    return out;
  }

  private static void translation(Path model, List<String> allTexts, Purpose purpose,
      int maxNewTokens, InferenceSettings settings, StringBuilder md) throws InferenceException {
    Map<ModelPrecision, List<GeneratedText>> outputs = new LinkedHashMap<>();
    List<GenerationRequest> requests = new ArrayList<>();
    int maxSourceTokens = 0;
    for (ModelPrecision precision : ModelPrecision.values()) {
      // The processor's generator: task prefixes, language tokens and length buckets as in a run.
      try (OnnxTextGenerator generator = OnnxTextGenerator.load(model,
          model.getFileName() + "-" + precision, settings.withPrecision(precision))) {
        if (requests.isEmpty()) {
          maxSourceTokens = generator.maxSourceTokens();
          // The processor would cut longer sources into chunks; here they are left out (and
          // counted in the table).
          for (String text : allTexts) {
            GenerationRequest request = purpose.request(text);
            if (generator.countTokens(request) <= maxSourceTokens) {
              requests.add(request);
            }
          }
        }
        List<Map<String, Object>> layers = new ArrayList<>(
            generator.defaultLayers(requests.get(0)));
        layers.add(Map.of("num_beams", 1, "max_new_tokens", maxNewTokens));
        outputs.put(precision, generator.generate(requests, GenerationConfig.fromLayers(layers)));
      }
    }
    List<String> texts = requests.stream().map(GenerationRequest::text).toList();
    List<GeneratedText> fp32 = outputs.get(ModelPrecision.FP32);
    List<GeneratedText> int8 = outputs.get(ModelPrecision.INT8);
    int sameText = 0;
    int sameIds = 0;
    ChrF chrF = new ChrF();
    for (int i = 0; i < texts.size(); i++) {
      sameText += int8.get(i).text().equals(fp32.get(i).text()) ? 1 : 0;
      sameIds += Arrays.equals(int8.get(i).tokenIds(), fp32.get(i).tokenIds()) ? 1 : 0;
      chrF.add(int8.get(i).text(), fp32.get(i).text());
    }
    md.append("| ").append(model.getFileName())
        .append(texts.size() < allTexts.size() ? " (" + (allTexts.size() - texts.size())
            + " of the sources are over " + maxSourceTokens + " tokens, left out)" : "")
        .append(" | ").append(mb(Seq2SeqModelDir.read(model, null, ModelPrecision.FP32).graphs())).append(" | ")
        .append(mb(Seq2SeqModelDir.read(model, null, ModelPrecision.INT8).graphs())).append(" | ")
        .append(sameText).append('/').append(texts.size()).append(String.format(Locale.ROOT,
            " (%.1f%%)", 100.0 * sameText / texts.size())).append(" | ")
        .append(sameIds).append('/').append(texts.size()).append(" | ")
        .append(String.format(Locale.ROOT, "%.2f", chrF.score())).append(" |\n");
  }

  /** What the seq2seq model is asked: translation en -> de (the default) or a summary. */
  enum Purpose {
    TRANSLATE, SUMMARIZE;

    GenerationRequest request(String text) {
      return this == SUMMARIZE ? GenerationRequest.summarize(text)
          : GenerationRequest.translate(text, "en", "de");
    }
  }

  /** One text per line: JSON lines with a "text" field, or plain lines. */
  private static List<String> readTexts(Path file) throws IOException {
    List<String> texts = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      texts.add(line.startsWith("{") ? JSON.readTree(line).get("text").asText() : line);
    }
    return texts;
  }

  private static String mb(List<Path> graphs) {
    long bytes = 0;
    for (Path g : graphs) {
      try {
        bytes += Files.size(g);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
  }

  private static String f3(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
