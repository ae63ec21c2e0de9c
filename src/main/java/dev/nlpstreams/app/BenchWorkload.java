package dev.nlpstreams.app;

import dev.nlpstreams.inference.seq2seq.Seq2SeqModel;
import dev.nlpstreams.text.batch.LengthBuckets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Reproducible benchmark workloads: texts of mixed length (a few words to a few hundred) built
 * from templates and names, so padding and bucketing matter the way they do on real traffic.
 */
final class BenchWorkload {
  private static final String[] PEOPLE = {"Angela Merkel", "Tim Cook", "Zoë Schmidt",
      "Barack Obama", "Maria García", "José Silva", "Olivia Brown", "Lars Nilsson"};
  private static final String[] PLACES = {"Berlin", "Frankfurt", "São Paulo", "New York",
      "Madrid", "Seattle", "Paris", "Stockholm"};
  private static final String[] ORGS = {"Deutsche Bank", "Microsoft", "United Nations",
      "Lufthansa", "Acme Corporation", "Siemens"};
  private static final String[] TEMPLATES = {"%s met %s in %s.", "%s works for %s in %s.",
      "The %s office in %s hired %s.", "%s flew from %s to %s with %s."};
  private static final String[] FILLER = {"yesterday", "the", "report", "said", "that", "market",
      "growth", "would", "continue", "despite", "concerns", "about", "supply", "and", "demand"};

  private BenchWorkload() {}

  /** The NER workload: a mean of 3.5 clauses (about 73 BERT tokens), at most 12. */
  static List<String> sentences(int count, long seed) {
    return texts(count, seed, 2.5, 12);
  }

  /** Translation inputs: mostly one or two clauses (about 10-60 tokens), at most 4. */
  static List<String> translationInputs(int count, long seed) {
    return texts(count, seed, 0.8, 4);
  }

  /** Summarization inputs: short articles, a mean of 13 clauses, at most 40. */
  static List<String> articles(int count, long seed) {
    return texts(count, seed, 12, 40);
  }

  /**
   * Texts of {@code 1 + floor(Exp(mean extraClauses))} clauses, capped at {@code maxClauses}: most
   * short, a tail of long ones, as in chat and event traffic.
   */
  static List<String> texts(int count, long seed, double extraClauses, int maxClauses) {
    Random random = new Random(seed);
    List<String> texts = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      StringBuilder text = new StringBuilder();
      int clauses = 1 + (int) Math.floor(-Math.log(1 - random.nextDouble()) * extraClauses);
      for (int c = 0; c < Math.min(clauses, maxClauses); c++) {
        String template = TEMPLATES[random.nextInt(TEMPLATES.length)];
        text.append(String.format(template, pick(random, PEOPLE), pick(random, ORGS),
            pick(random, PLACES), pick(random, ORGS))).append(' ');
        int filler = random.nextInt(12);
        for (int f = 0; f < filler; f++) {
          text.append(pick(random, FILLER)).append(' ');
        }
      }
      texts.add(text.toString().trim());
    }
    return texts;
  }

  /**
   * Real / computed tokens when the texts (of {@code tokens} tokens each, in arrival order) are cut
   * into {@code batchRecords}-record batches and each batch into length buckets the way the
   * runtimes do it (at most {@code maxBatchSize} rows and {@code maxBatchTokens} padded tokens a
   * run).
   */
  static double paddingEfficiency(int[] tokens, int batchRecords, int maxBatchSize,
      long maxBatchTokens) {
    List<Integer> starts = new ArrayList<>();
    for (int from = 0; from < tokens.length; from += batchRecords) {
      starts.add(from);
    }
    starts.add(tokens.length);
    return paddingEfficiency(tokens, starts.stream().mapToInt(Integer::intValue).toArray(),
        maxBatchSize, maxBatchTokens);
  }

  /**
   * As {@link #paddingEfficiency(int[], int, int, long)} with the batches given by their bounds:
   * batch {@code b} holds inputs {@code bounds[b]} to {@code bounds[b + 1] - 1}.
   */
  static double paddingEfficiency(int[] tokens, int[] bounds, int maxBatchSize,
      long maxBatchTokens) {
    return paddingEfficiency(tokens, bounds, maxBatchSize, maxBatchTokens,
        LengthBuckets.DEFAULT_RUN_OVERHEAD_TOKENS);
  }

  /** As above, planned with {@code runOverheadTokens} per run. */
  static double paddingEfficiency(int[] tokens, int[] bounds, int maxBatchSize,
      long maxBatchTokens, int runOverheadTokens) {
    return LengthBuckets.paddingEfficiency(tokens,
        plan(tokens, bounds, maxBatchSize, maxBatchTokens, runOverheadTokens));
  }

  /**
   * The generation loop's source padding: each batch is planned into generation runs with
   * {@code runOverheadTokens} per run, and each run's sources are encoded in the encoder's own
   * length buckets ({@link Seq2SeqModel#encoderParts}).
   */
  static double encoderPaddingEfficiency(int[] tokens, int[] bounds, int maxBatchSize,
      long maxBatchTokens, int runOverheadTokens) {
    List<int[]> encoderRuns = new ArrayList<>();
    for (int[] run : plan(tokens, bounds, maxBatchSize, maxBatchTokens, runOverheadTokens)) {
      int[] lengths = Arrays.stream(run).map(i -> tokens[i]).toArray();
      for (int[] part : Seq2SeqModel.encoderParts(lengths, maxBatchTokens)) {
        encoderRuns.add(Arrays.stream(part).map(i -> run[i]).toArray());
      }
    }
    return LengthBuckets.paddingEfficiency(tokens, encoderRuns);
  }

  private static List<int[]> plan(int[] tokens, int[] bounds, int maxBatchSize,
      long maxBatchTokens, int runOverheadTokens) {
    List<int[]> plan = new ArrayList<>();
    for (int b = 0; b + 1 < bounds.length; b++) {
      int offset = bounds[b];
      int[] chunk = Arrays.copyOfRange(tokens, bounds[b], bounds[b + 1]);
      for (int[] bucket : LengthBuckets.plan(chunk, maxBatchSize, maxBatchTokens,
          runOverheadTokens)) {
        plan.add(Arrays.stream(bucket).map(i -> i + offset).toArray());
      }
    }
    return plan;
  }

  /**
   * {@code count} texts of exactly {@code target} tokens where the words allow it (a word never
   * splits, so a text may fall a token or two short): words of the NER workload in order, added
   * until one more would pass the target.
   */
  static List<String> fixedLength(int count, int target,
      java.util.function.ToIntFunction<String> countTokens) {
    String[] words = String.join(" ", sentences(count * 4, 43)).split(" ");
    List<String> out = new ArrayList<>(count);
    int next = 0;
    for (int e = 0; e < count; e++) {
      StringBuilder text = new StringBuilder();
      while (true) {
        String word = words[next % words.length];
        String longer = text.length() == 0 ? word : text + " " + word;
        if (countTokens.applyAsInt(longer) > target) {
          break;
        }
        text.setLength(0);
        text.append(longer);
        next++;
      }
      if (text.length() == 0) {
        throw new IllegalArgumentException("--tokens " + target + " is too small for a word");
      }
      out.add(text.toString());
    }
    return out;
  }

  private static String pick(Random random, String[] values) {
    return values[random.nextInt(values.length)];
  }
}
