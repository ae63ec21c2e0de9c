package dev.nlpstreams.streams;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which buffered records were already in a batch whose every record failed. The first time, the
 * fault is taken for the model's (the thread fails and the record runs again); a record that was
 * in such a batch before and fails again is taken for a bad record and dead-lettered, so a batch of
 * records that can never run costs one retry, never a replay loop. Decided per record: a fresh
 * record batched with retried ones still gets its retry. Keyed by task and source coordinates, so
 * one event's NER and translation runs are remembered apart, although every engine shares this
 * memory. Process-wide, because a replaced stream thread starts with fresh processors; bounded,
 * oldest forgotten first.
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

  /** Remembers the record; true when this is the first failed batch it was in. */
  boolean rememberFirstFailure(String recordKey) {
    return seen.add(recordKey);
  }
}
