package dev.herald.bus.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogSubscription;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The bookkeeping of events left in the log: spilled in key order, taken once on a second pass. */
class SpillsTest {

  /** Records rewinds; nothing else is used. */
  static final class Rewinds implements LogSubscription {
    final List<long[]> calls = new ArrayList<>();
    @Override public Future<List<LogEntry>> poll(int maxRecords, long maxBytes) { return Future.succeededFuture(List.of()); }
    @Override public Future<Void> commit(Map<Integer, Long> nextOffsets) { return Future.succeededFuture(); }
    @Override public void onAvailable(Handler<Void> handler) {}
    @Override public long lag() { return 0; }
    @Override public Future<Void> close() { return Future.succeededFuture(); }
    @Override public boolean canRewind() { return true; }
    @Override public void rewind(int partition, long offset) { calls.add(new long[] {partition, offset}); }
  }

  private static LogEntry entry(long offset, String key) {
    return new LogEntry(0, offset, TestSupport.track(key, "E", (int) offset), 10);
  }

  @Test
  void aSpilledKeysLaterEventsSpillTooAndComeBackOnceInOrderOnTheSecondPassWhileTheRestIsSkipped() {
    List<Long> gone = new ArrayList<>();
    Spills spills = new Spills((p, o) -> gone.add(o));
    Rewinds log = new Rewinds();
    assertEquals(Spills.Verdict.TAKE, spills.verdict(entry(0, "hot"), false));
    assertEquals(Spills.Verdict.TAKE, spills.verdict(entry(1, "hot"), true)); // blocked: the intake spills it
    spills.spill(entry(1, "hot"));
    assertEquals(Spills.Verdict.TAKE, spills.verdict(entry(2, "a"), false));
    assertEquals(Spills.Verdict.SPILL, spills.verdict(entry(3, "hot"), false), "behind its spilled event");
    assertEquals(Spills.Verdict.TAKE, spills.verdict(entry(4, "b"), false));
    assertEquals(2, spills.count());

    assertFalse(spills.rewindDue(log, key -> key.equals("hot")), "not while hot is blocked");
    assertTrue(spills.rewindDue(log, key -> false));
    assertEquals(1, log.calls.size());
    assertEquals(1, log.calls.get(0)[1]);
    assertFalse(spills.rewindDue(log, key -> false), "already rewound");

    assertEquals(Spills.Verdict.TAKE, spills.verdict(entry(1, "hot"), false));
    assertEquals(Spills.Verdict.SKIP, spills.verdict(entry(2, "a"), false), "handled on the first pass");
    assertEquals(Spills.Verdict.TAKE, spills.verdict(entry(3, "hot"), false));
    assertEquals(Spills.Verdict.SKIP, spills.verdict(entry(4, "b"), false));
    assertEquals(Spills.Verdict.TAKE, spills.verdict(entry(5, "hot"), false), "a first read again");
    assertTrue(spills.isEmpty());
    assertEquals(List.of(), gone);
  }

  @Test
  void spilledOffsetsTheLogNoLongerHoldsAreSettledAsGoneInsteadOfWaitingForEver() {
    List<Long> gone = new ArrayList<>();
    Spills spills = new Spills((p, o) -> gone.add(o));
    Rewinds log = new Rewinds();
    spills.verdict(entry(10, "hot"), true);
    spills.spill(entry(10, "hot"));
    assertEquals(Spills.Verdict.SPILL, spills.verdict(entry(11, "hot"), false));
    assertEquals(Spills.Verdict.TAKE, spills.verdict(entry(12, "a"), false));
    assertTrue(spills.rewindDue(log, key -> false));
    // Retention deleted 10 and 11: the log answers from 12 on.
    assertEquals(Spills.Verdict.SKIP, spills.verdict(entry(12, "a"), false));
    assertEquals(List.of(10L, 11L), gone);
    assertTrue(spills.isEmpty());
  }

  @Test
  void partitionsGivenAwayAreForgotten() {
    Spills spills = new Spills((p, o) -> {});
    spills.verdict(entry(1, "hot"), true);
    spills.spill(entry(1, "hot"));
    spills.forget(Set.of(0));
    assertTrue(spills.isEmpty());
    assertEquals(Spills.Verdict.TAKE, spills.verdict(entry(0, "x"), false), "read afresh from the committed cursor");
  }
}
