package dev.nlpstreams.streams;

import dev.nlpstreams.text.generation.GenerationConfig;
import dev.nlpstreams.text.task.GeneratedText;
import dev.nlpstreams.text.task.GenerationRequest;
import dev.nlpstreams.text.task.InferenceException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the chunks of a flush through their models: chunks that share a model and a resolved
 * generation configuration go to the model in one call (only compatible records share a run);
 * the model cuts them into runs by length, as it does for any batch.
 */
final class GenerationRunner {

  /** One model input: a whole text or one chunk of it. */
  record Job(String model, GenerationRequest request, GenerationConfig config) {}

  private record Group(String model, GenerationConfig config) {}

  private GenerationRunner() {}

  /** Outputs in job order. */
  static List<GeneratedText> run(GenerationModels models, List<Job> jobs, long timeoutMs)
      throws InferenceException {
    Map<Group, List<Integer>> groups = new LinkedHashMap<>();
    for (int j = 0; j < jobs.size(); j++) {
      Job job = jobs.get(j);
      groups.computeIfAbsent(new Group(job.model(), job.config()), g -> new ArrayList<>()).add(j);
    }
    GeneratedText[] outputs = new GeneratedText[jobs.size()];
    for (Map.Entry<Group, List<Integer>> group : groups.entrySet()) {
      List<Integer> members = group.getValue();
      List<GenerationRequest> requests = new ArrayList<>(members.size());
      for (int j : members) {
        requests.add(jobs.get(j).request());
      }
      List<GeneratedText> generated = models.get(group.getKey().model())
          .generate(requests, group.getKey().config(), timeoutMs);
      if (generated.size() != requests.size()) {
        throw new InferenceException("Model " + group.getKey().model() + " returned "
            + generated.size() + " outputs for " + requests.size() + " inputs");
      }
      for (int r = 0; r < members.size(); r++) {
        outputs[members.get(r)] = generated.get(r);
      }
    }
    return List.of(outputs);
  }
}
