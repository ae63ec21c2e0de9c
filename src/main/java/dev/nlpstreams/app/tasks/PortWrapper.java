package dev.nlpstreams.app.tasks;

import dev.nlpstreams.schema.avro.Task;

/**
 * Wraps a task's model port before the topology sees it: for code that embeds the processor and
 * traces model calls, and for tests that inject a stalling or failing model into a real process.
 */
public interface PortWrapper {

  /** Leaves every port as loaded. */
  PortWrapper NONE = new PortWrapper() {
    @Override
    public <T> T wrap(Task task, Class<T> type, T model) {
      return model;
    }
  };

  /** The port {@code task} will call instead of {@code model}; {@code model} to keep it. */
  <T> T wrap(Task task, Class<T> type, T model);
}
