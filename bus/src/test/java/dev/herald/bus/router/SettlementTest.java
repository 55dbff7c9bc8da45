package dev.herald.bus.router;

import static dev.herald.bus.router.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.deadletter.DeadLetter;
import dev.herald.bus.deadletter.DeadLetterQuery;
import dev.herald.bus.deadletter.DeadLetterStore;
import dev.herald.bus.log.EventLog;
import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogSubscription;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Settlement against the real embedded log and dead-letter file: only a settled prefix is committed. */
@ExtendWith(VertxExtension.class)
class SettlementTest {

  @TempDir Path dir;
  private EventLog log;
  private DeadLetterStore store;

  @AfterEach
  void tearDown() {
    if (store != null) await(store.close());
    if (log != null) await(log.close());
  }

  private record Setup(OnContext on, Settlement settlement, LogSubscription subscription, List<PendingEvent> items) {}

  private Setup read(Vertx vertx, int events) {
    log = TestSupport.openLog(vertx, dir.resolve("log"));
    store = await(DeadLetterStore.open(vertx, dir.resolve("dead-letters"), "hook"));
    await(log.append(TestSupport.events(events, 2)));
    LogSubscription subscription = await(log.subscribe("hook"));
    List<LogEntry> entries = await(subscription.poll(100, Long.MAX_VALUE));
    assertEquals(events, entries.size());
    OnContext on = new OnContext(vertx.getOrCreateContext());
    Settlement settlement = new Settlement(vertx, "hook", TestSupport.fastPolicy(), store, new RunnerStats(), null);
    List<PendingEvent> items = on.call(() -> {
      settlement.commitTo(subscription);
      List<PendingEvent> read = new ArrayList<>();
      for (LogEntry entry : entries) {
        PendingEvent item = new PendingEvent(entry, entry.event(), System.nanoTime());
        item.epoch = settlement.read(entry.partition(), entry.offset());
        read.add(item);
      }
      return read;
    });
    return new Setup(on, settlement, subscription, items);
  }

  @Test
  void theCursorCommitsOnlyThePrefixBelowTheFirstUnsettledEvent(Vertx vertx) {
    Setup s = read(vertx, 5);
    s.on().run(() -> {
      s.settlement().settle(s.items().get(0));
      s.settlement().settle(s.items().get(1));
      s.settlement().settle(s.items().get(3));
    });
    s.on().await(() -> s.settlement().commitNow());
    assertEquals(3, s.subscription().lag(), "committed up to the unsettled third event");

    s.on().run(() -> s.settlement().settle(s.items().get(2)));
    s.on().await(() -> s.settlement().commitNow());
    assertEquals(1, s.subscription().lag(), "the fifth is still out");

    s.on().run(() -> s.settlement().settle(s.items().get(4)));
    s.on().await(() -> s.settlement().commitNow());
    assertEquals(0, s.subscription().lag());
    assertEquals(0, (int) s.on().call(() -> s.settlement().unsettled()));
  }

  @Test
  void aDeadLetterIsWrittenBeforeItsEventCountsAsSettled(Vertx vertx) {
    Setup s = read(vertx, 3);
    PendingEvent rejected = s.items().get(0);
    rejected.fail("invalid", 400, "bad field");
    rejected.attempts = 1;
    s.on().await(() -> s.settlement().deadLetter(List.of(rejected)));
    List<DeadLetter> letters = await(store.list(DeadLetterQuery.firstPage()));
    assertEquals(1, letters.size());
    assertEquals("invalid", letters.get(0).reason());
    assertEquals(400, letters.get(0).status());
    s.on().await(() -> s.settlement().commitNow());
    assertEquals(2, s.subscription().lag(), "the dead letter is settled, the two after it are not");
  }

  @Test
  void eventsOfARevokedPartitionAreNeverSettledHere(Vertx vertx) {
    Setup s = read(vertx, 3);
    s.on().run(() -> s.settlement().settle(s.items().get(0)));
    Map<Integer, Long> committed = s.on().call(() -> s.settlement().revoke(Set.of(0)));
    assertEquals(Map.of(0, 1L), committed, "the settled prefix is committed while the partition is ours");
    PendingEvent out = s.items().get(1);
    assertTrue(s.on().call(() -> s.settlement().anyRevoked()));
    assertTrue(s.on().call(() -> s.settlement().revoked(out)));
    s.on().run(() -> s.settlement().settle(out));
    assertEquals(0, (int) s.on().call(() -> s.settlement().unsettled()), "the partition is forgotten");
    PendingEvent readAgain = new PendingEvent(out.entry, out.event, System.nanoTime());
    readAgain.epoch = s.on().call(() -> s.settlement().read(0, out.entry.offset()));
    assertFalse(s.on().call(() -> s.settlement().revoked(readAgain)), "read again after the revocation: ours");
  }
}
