package dev.nlpstreams.faults;

import dev.nlpstreams.app.NlpStreamsApp;
import dev.nlpstreams.app.ShutdownSignals;
import dev.nlpstreams.app.tasks.PortWrapper;
import dev.nlpstreams.config.NlpStreamsConfig;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.text.task.EntityRecognizer;
import dev.nlpstreams.text.task.InferenceException;
import dev.nlpstreams.text.task.InferenceTimeoutException;
import dev.nlpstreams.text.task.ModelIdentity;
import dev.nlpstreams.text.task.NerRequest;
import dev.nlpstreams.text.task.NerResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The processor with its real NER model behind a wrapper that stalls every run containing a
 * marked text until the run's deadline, as a hung native run would (then cancelled by the
 * deadline). Started by {@link FaultInjectionIT} as its own JVM: {@code --config FILE}.
 */
public final class StallingProcessorMain {

  static final String MARKER = "STALL-MARKER";

  private StallingProcessorMain() {}

  public static void main(String[] args) throws InterruptedException {
    NlpStreamsConfig config = NlpStreamsConfig.load(Path.of(args[1]), System.getenv(), Map.of());
    NlpStreamsApp app = NlpStreamsApp.start(config, new PortWrapper() {
      @Override
      public <T> T wrap(Task task, Class<T> type, T model) {
        return type == EntityRecognizer.class
            ? type.cast(new Stalling((EntityRecognizer) model)) : model;
      }
    });
    ShutdownSignals.closeOnSignals(app);
    app.awaitFailure();
    app.close();
    System.exit(1);
  }

  private record Stalling(EntityRecognizer real) implements EntityRecognizer {
    @Override
    public List<NerResult> recognize(List<NerRequest> batch) throws InferenceException {
      return real.recognize(batch);
    }

    @Override
    public List<NerResult> recognize(List<NerRequest> batch, long timeoutMs)
        throws InferenceException {
      if (batch.stream().anyMatch(r -> r.text().contains(MARKER))) {
        try {
          Thread.sleep(timeoutMs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new InferenceTimeoutException("Injected stall: the run passed its deadline of "
            + timeoutMs + " ms and was cancelled", null);
      }
      return real.recognize(batch, timeoutMs);
    }

    @Override
    public int countTokens(String text) {
      return real.countTokens(text);
    }

    @Override
    public ModelIdentity identity() {
      return real.identity();
    }

    @Override
    public void close() {
      real.close();
    }
  }
}
