package dev.nlpstreams.app.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Named readiness checks, all of which must pass. Named so that {@code /health/ready} can say which
 * one fails (an operator reads "models: false" rather than guessing); extensible so later parts of
 * the processor (the batching engine's warm-up) add their own check.
 */
public final class Readiness implements BooleanSupplier {

  private final Map<String, BooleanSupplier> checks;

  private Readiness(Map<String, BooleanSupplier> checks) {
    this.checks = checks;
  }

  public static Readiness of() {
    return new Readiness(new LinkedHashMap<>());
  }

  /** A copy with one more check; a check that throws counts as failing. */
  public Readiness and(String name, BooleanSupplier check) {
    Map<String, BooleanSupplier> more = new LinkedHashMap<>(checks);
    if (more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(check, "check"))
        != null) {
      throw new IllegalArgumentException("Readiness check '" + name + "' is defined twice");
    }
    return new Readiness(more);
  }

  /** Every check's current result, in the order they were added. */
  public Map<String, Boolean> results() {
    Map<String, Boolean> results = new LinkedHashMap<>();
    checks.forEach((name, check) -> {
      boolean ok;
      try {
        ok = check.getAsBoolean();
      } catch (RuntimeException e) {
        ok = false;
      }
      results.put(name, ok);
    });
    return results;
  }

  @Override
  public boolean getAsBoolean() {
    return !checks.isEmpty() && !results().containsValue(false);
  }
}
