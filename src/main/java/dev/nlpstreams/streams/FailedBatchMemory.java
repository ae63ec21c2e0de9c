package dev.nlpstreams.streams;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which buffered records were already in a batch whose every record failed. The first time, the
 * fault is taken for the model's (the thread fails and the records run again); a record that was
 * in such a batch before and fails again is taken for a bad record and dead-lettered, so a batch of
 * records that can never run costs one retry, never a replay loop. Process-wide, because a
 * replaced stream thread starts with fresh processors; bounded, oldest forgotten first.
 */
final class FailedBatchMemory {

  private static final int MAX_REMEMBERED = 100_000;

  private final Set<String> seen = Collections.newSetFromMap(Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > MAX_REMEMBERED;
        }
      }));

  /** Remembers the records; true when any of them had been remembered before. */
  boolean rememberAndCheckRepeated(Iterable<String> recordKeys) {
    boolean repeated = false;
    for (String key : recordKeys) {
      repeated |= !seen.add(key);
    }
    return repeated;
  }
}
