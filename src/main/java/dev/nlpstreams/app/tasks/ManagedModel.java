package dev.nlpstreams.app.tasks;

import dev.nlpstreams.text.task.ModelIdentity;
import dev.nlpstreams.text.task.ModelRunListener;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A loaded model and the hooks the application needs to run it safely: closing it, stopping
 * its runs at shutdown, observing its runs for metrics and warming it up.
 *
 * @param role how the start-up summary names the model's kind, for example {@code embeddings}
 * @param name the model's name in outputs and options
 * @param model the native-backed object to close
 * @param stopRuns refuses new runs, cancels those in flight, and tells whether all returned in
 *     time
 */
public record ManagedModel(String role, String name, ModelIdentity identity, AutoCloseable model,
    Predicate<Duration> stopRuns, Consumer<ModelRunListener> runObserver, Runnable warmUp) {
  public ManagedModel {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(stopRuns, "stopRuns");
    Objects.requireNonNull(runObserver, "runObserver");
    Objects.requireNonNull(warmUp, "warmUp");
  }
}
