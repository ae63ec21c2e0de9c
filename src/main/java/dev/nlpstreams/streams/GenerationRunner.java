package dev.nlpstreams.streams;

import dev.nlpstreams.text.generation.GenerationConfig;
import dev.nlpstreams.text.task.GeneratedText;
import dev.nlpstreams.text.task.GenerationRequest;
import dev.nlpstreams.text.task.InferenceException;
import dev.nlpstreams.text.task.TextGenerator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the chunks of a flush through their models: chunks that share a model and a resolved
 * generation configuration run together (only compatible records share a batch), sorted by source
 * length so a run pads little, in runs of at most the configured batch size.
 */
final class GenerationRunner {

  /** One model input: a whole text or one chunk of it. */
  record Job(String model, GenerationRequest request, GenerationConfig config, int sourceTokens) {}

  private record Group(String model, GenerationConfig config) {}

  private GenerationRunner() {}

  /** Outputs in job order. */
  static List<GeneratedText> run(GenerationModels models, List<Job> jobs, int maxRunBatchSize)
      throws InferenceException {
    Map<Group, List<Integer>> groups = new LinkedHashMap<>();
    for (int j = 0; j < jobs.size(); j++) {
      Job job = jobs.get(j);
      groups.computeIfAbsent(new Group(job.model(), job.config()), g -> new ArrayList<>()).add(j);
    }
    GeneratedText[] outputs = new GeneratedText[jobs.size()];
    for (Map.Entry<Group, List<Integer>> group : groups.entrySet()) {
      TextGenerator generator = models.get(group.getKey().model());
      List<Integer> members = new ArrayList<>(group.getValue());
      members.sort(Comparator.comparingInt(j -> jobs.get(j).sourceTokens()));
      for (int from = 0; from < members.size(); from += maxRunBatchSize) {
        List<Integer> run = members.subList(from, Math.min(members.size(), from + maxRunBatchSize));
        List<GenerationRequest> requests = new ArrayList<>(run.size());
        for (int j : run) {
          requests.add(jobs.get(j).request());
        }
        List<GeneratedText> generated = generator.generate(requests, group.getKey().config());
        if (generated.size() != requests.size()) {
          throw new InferenceException("Model " + group.getKey().model() + " returned "
              + generated.size() + " outputs for " + requests.size() + " inputs");
        }
        for (int r = 0; r < run.size(); r++) {
          outputs[run.get(r)] = generated.get(r);
        }
      }
    }
    return List.of(outputs);
  }
}
