package dev.nlpstreams.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nlpstreams.schema.avro.ModelInfo;
import dev.nlpstreams.schema.avro.Task;
import dev.nlpstreams.schema.avro.TextEvent;
import dev.nlpstreams.text.task.InferenceException;
import dev.nlpstreams.text.task.InferenceStoppedException;
import dev.nlpstreams.text.task.InferenceTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** Failure isolation of one flush, with a fake task: errors, stalls, budget, abandonment. */
class IsolatingFlushTest {

  private static final long DEADLINE_MS = 1_600;

  /** A NER-like task whose runs the subclasses script. */
  private abstract static class ScriptedTask implements BatchTask {

    @Override
    public Task task() {
      return Task.NER;
    }

    @Override
    public String outputNode() {
      return "out";
    }

    @Override
    public int countTokens(TextEvent event) {
      return 1;
    }

    @Override
    public long runTimeoutMs() {
      return DEADLINE_MS;
    }
  }

  /** Fails (or times out) any run that contains the marked record; records every run. */
  private static final class MarkedRecordTask extends ScriptedTask {
    final String marked;
    final boolean stall;
    final List<String> runs = new ArrayList<>();

    MarkedRecordTask(String marked, boolean stall) {
      this.marked = marked;
      this.stall = stall;
    }

    @Override
    public List<SpecificRecord> run(List<PendingRecord> batch, long timeoutMs)
        throws InferenceException {
      runs.add(batch.size() + "@" + timeoutMs);
      List<SpecificRecord> out = new ArrayList<>();
      for (PendingRecord record : batch) {
        if (record.event().getEventId().equals(marked)) {
          if (stall) {
            throw new InferenceTimeoutException("stalled past " + timeoutMs + " ms", null);
          }
          throw new InferenceException("cannot run " + marked);
        }
        out.add(ModelInfo.newBuilder().setName(record.event().getEventId()).build());
      }
      return out;
    }
  }

  private static List<PendingRecord> records(int n) {
    List<PendingRecord> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      records.add(new PendingRecord(i, null,
          TextEvent.newBuilder().setEventId("r" + i).setText("t").build()));
    }
    return records;
  }

  @Test
  void anErrorIsIsolatedToItsRecordAndTheRestSucceedInOrder() throws Exception {
    MarkedRecordTask task = new MarkedRecordTask("r5", false);
    IsolatingFlush.Outcome[] outcomes = new IsolatingFlush(task, records(8), () -> false).run();
    for (int i = 0; i < 8; i++) {
      if (i == 5) {
        assertThat(outcomes[i].value()).isNull();
        assertThat(outcomes[i].error()).hasMessageContaining("cannot run r5");
      } else {
        assertThat(((ModelInfo) outcomes[i].value()).getName()).isEqualTo("r" + i);
      }
    }
    // 8 -> 4 + 4 -> 2 + 2 -> 1 + 1: 7 runs, each with the full deadline (an error, not a stall).
    assertThat(task.runs).containsExactly("8@1600", "4@1600", "4@1600", "2@1600", "1@1600",
        "1@1600", "2@1600");
  }

  @Test
  void aStallIsIsolatedWithHalvingDeadlines() throws Exception {
    MarkedRecordTask task = new MarkedRecordTask("r2", true);
    IsolatingFlush.Outcome[] outcomes = new IsolatingFlush(task, records(8), () -> false).run();
    assertThat(outcomes[2].error()).isInstanceOf(InferenceTimeoutException.class);
    assertThat(outcomes).filteredOn(o -> o.value() != null).hasSize(7);
    // The culprit's half gets half the deadline at every level: 1600 + 800 + 400 + 200 ms in
    // all, not 4 x 1600.
    assertThat(task.runs).containsExactly("8@1600", "4@800", "2@400", "2@400", "1@200",
        "1@200", "4@800");
  }

  /**
   * Runs out of (direct) memory on any batch of more than two records, and overflows its stack on
   * the marked record: JVM errors, not exceptions.
   */
  private static final class MemoryHungryTask extends ScriptedTask {
    final List<Integer> runs = new ArrayList<>();

    @Override
    public List<SpecificRecord> run(List<PendingRecord> batch, long timeoutMs) {
      runs.add(batch.size());
      if (batch.size() > 2) {
        throw new OutOfMemoryError("Cannot reserve 2147483648 bytes of direct buffer memory");
      }
      List<SpecificRecord> out = new ArrayList<>();
      for (PendingRecord record : batch) {
        if (record.event().getEventId().equals("r6")) {
          throw new StackOverflowError();
        }
        out.add(ModelInfo.newBuilder().setName(record.event().getEventId()).build());
      }
      return out;
    }
  }

  @Test
  void aBatchThatRunsOutOfMemoryIsSplitAndARecordThatAlwaysDoesFailsAlone() throws Exception {
    MemoryHungryTask task = new MemoryHungryTask();
    IsolatingFlush.Outcome[] outcomes = new IsolatingFlush(task, records(8), () -> false).run();

    for (int i = 0; i < 8; i++) {
      if (i == 6) {
        assertThat(outcomes[i].value()).isNull();
        assertThat(outcomes[i].error()).isInstanceOf(InferenceException.class)
            .hasCauseInstanceOf(StackOverflowError.class);
      } else {
        assertThat(((ModelInfo) outcomes[i].value()).getName()).isEqualTo("r" + i);
      }
    }
    assertThat(task.runs).containsExactly(8, 4, 2, 2, 4, 2, 2, 1, 1);
  }

  @Test
  void anAbandonedFlushStopsWithoutOutcomes() {
    MarkedRecordTask task = new MarkedRecordTask("none", false);
    IsolatingFlush flush = new IsolatingFlush(task, records(4), () -> true);
    assertThatThrownBy(flush::run).isInstanceOf(InferenceStoppedException.class);
    assertThat(task.runs).isEmpty();
  }
}
