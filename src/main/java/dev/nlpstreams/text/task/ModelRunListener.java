package dev.nlpstreams.text.task;

/**
 * Told about every model run (metrics). Called on the inference thread right after the run, so it
 * must be quick and must not throw.
 */
@FunctionalInterface
public interface ModelRunListener {

  /** Ignores every run: the default until the application installs its metrics. */
  ModelRunListener NONE = run -> { };

  void modelRun(ModelRun run);
}
