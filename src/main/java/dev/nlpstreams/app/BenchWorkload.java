package dev.nlpstreams.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A reproducible NER workload: sentences of mixed length (a few words to a few hundred) built from
 * templates and names, so padding and bucketing matter the way they do on real traffic.
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

  static List<String> sentences(int count, long seed) {
    Random random = new Random(seed);
    List<String> sentences = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      StringBuilder text = new StringBuilder();
      // Skewed lengths: most short, a tail of long ones, as in chat and event traffic.
      int clauses = 1 + (int) Math.floor(-Math.log(1 - random.nextDouble()) * 2.5);
      for (int c = 0; c < Math.min(clauses, 12); c++) {
        String template = TEMPLATES[random.nextInt(TEMPLATES.length)];
        text.append(String.format(template, pick(random, PEOPLE), pick(random, ORGS),
            pick(random, PLACES), pick(random, ORGS))).append(' ');
        int filler = random.nextInt(12);
        for (int f = 0; f < filler; f++) {
          text.append(pick(random, FILLER)).append(' ');
        }
      }
      sentences.add(text.toString().trim());
    }
    return sentences;
  }

  private static String pick(Random random, String[] values) {
    return values[random.nextInt(values.length)];
  }
}
