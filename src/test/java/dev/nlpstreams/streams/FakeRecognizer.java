package dev.nlpstreams.streams;

import dev.nlpstreams.text.ner.Entity;
import dev.nlpstreams.text.task.EntityRecognizer;
import dev.nlpstreams.text.task.InferenceException;
import dev.nlpstreams.text.task.InferenceTimeoutException;
import dev.nlpstreams.text.task.ModelIdentity;
import dev.nlpstreams.text.task.NerRequest;
import dev.nlpstreams.text.task.NerResult;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in model for topology tests: every capitalised word is a PER entity, one token per word.
 * A batch containing "POISON" fails and one containing "STALL" times out, as a broken input would
 * make a real model fail. Records every batch it was given.
 */
final class FakeRecognizer implements EntityRecognizer {

  final List<List<String>> batches = new ArrayList<>();

  @Override
  public List<NerResult> recognize(List<NerRequest> batch) throws InferenceException {
    batches.add(batch.stream().map(NerRequest::text).toList());
    for (NerRequest request : batch) {
      if (request.text().contains("POISON")) {
        throw new InferenceException("poisoned batch");
      }
      if (request.text().contains("STALL")) {
        throw new InferenceTimeoutException("stalled batch", null);
      }
    }
    List<NerResult> results = new ArrayList<>();
    for (NerRequest request : batch) {
      List<Entity> entities = new ArrayList<>();
      String text = request.text();
      int i = 0;
      while (i < text.length()) {
        int end = text.indexOf(' ', i);
        end = end < 0 ? text.length() : end;
        if (end > i && Character.isUpperCase(text.charAt(i))) {
          entities.add(new Entity("PER", text.substring(i, end), 0.9f, i, end, i, end, -1));
        }
        i = end + 1;
      }
      results.add(new NerResult(entities, request.strategy(), 1, identity()));
    }
    return results;
  }

  @Override
  public int countTokens(String text) {
    return text.isBlank() ? 0 : text.trim().split("\\s+").length;
  }

  @Override
  public ModelIdentity identity() {
    return new ModelIdentity("fake", "v1", "cpu");
  }

  @Override
  public void close() {}
}
