package dev.nlpstreams.text.task;

import java.util.Objects;

/**
 * Which model produced a result: its configured name, a content hash (or revision) and the device it
 * ran on. Carried into every output so consumers can tell model versions apart.
 */
public record ModelIdentity(String name, String version, String device) {
  public ModelIdentity {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(device, "device");
  }
}
