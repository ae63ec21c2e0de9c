package dev.nlpstreams.app.console;

import java.util.ArrayList;
import java.util.List;

/**
 * The console tools' own options ({@code --topic T}, {@code --max N}, flags); whatever is left
 * (--config, --set) is the usual configuration.
 */
final class ConsoleArgs {
  private final List<String> rest = new ArrayList<>();
  private final List<String> raw;

  ConsoleArgs(List<String> args) {
    this.raw = new ArrayList<>(args);
  }

  /** Removes {@code --name value} and returns the value, or the default. */
  String option(String name, String defaultValue) {
    int at = raw.indexOf(name);
    if (at < 0) {
      return defaultValue;
    }
    if (at + 1 >= raw.size()) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    String value = raw.get(at + 1);
    raw.remove(at + 1);
    raw.remove(at);
    return value;
  }

  /** Removes a flag and says whether it was there. */
  boolean flag(String name) {
    return raw.remove(name);
  }

  /** What is left, for Main's --config/--set parsing. */
  List<String> rest() {
    rest.clear();
    rest.addAll(raw);
    return rest;
  }
}
