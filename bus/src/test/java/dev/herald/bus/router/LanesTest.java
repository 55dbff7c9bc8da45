package dev.herald.bus.router;

import static dev.herald.bus.router.TestSupport.eventually;
import static dev.herald.bus.router.TestSupport.track;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogEntry;
import dev.herald.destination.api.Event;
import dev.herald.destination.api.Limits;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The read-ahead: what is queued, how it is cut, and how events go back or leave. */
@ExtendWith(VertxExtension.class)
class LanesTest {

  private long offset;

  private PendingEvent item(String key, int partition) {
    Event e = track(key, "E", (int) offset);
    return new PendingEvent(new LogEntry(partition, offset++, e, e.payloadBytes().length()), e, System.nanoTime());
  }

  private static DeliveryPolicy policy(int batchEvents, long lingerMs, int maxInFlight) {
    return new DeliveryPolicy(batchEvents, lingerMs, maxInFlight, Duration.ofMillis(5), Duration.ofMillis(20),
        Duration.ofHours(1), 0, 3, Duration.ofMillis(150));
  }

  private static long bytes(List<PendingEvent> items) {
    return items.stream().mapToLong(i -> i.bytes).sum();
  }

  @Test
  void cuttingAndPuttingBackKeepTheQueuedCountsExact(Vertx vertx) {
    Lanes lanes = new Lanes(vertx, policy(3, 0, 1), Limits.DEFAULT, () -> {});
    List<PendingEvent> all = new ArrayList<>();
    for (int i = 0; i < 7; i++) all.add(item("u" + (i % 2), 0));
    all.forEach(lanes::add);
    assertEquals(7, lanes.queued());
    assertEquals(bytes(all), lanes.queuedBytes());

    List<Batch> cut = new ArrayList<>();
    lanes.cutDue(System.nanoTime(), cut::add);
    assertEquals(1, cut.size(), "one lane of capacity one: one batch out at a time");
    Batch first = cut.get(0);
    assertEquals(all.subList(0, 3), first.items);
    assertEquals(4, lanes.queued());
    assertEquals(bytes(all.subList(3, 7)), lanes.queuedBytes());

    // The batch's u0 events go back (a hold ended): first in the lane, oldest first.
    List<PendingEvent> back = List.of(all.get(0), all.get(2));
    lanes.putBack("u0", back);
    first.lane.done();
    assertEquals(6, lanes.queued());
    assertEquals(bytes(all.subList(3, 7)) + bytes(back), lanes.queuedBytes());
    cut.clear();
    lanes.cutDue(System.nanoTime(), cut::add);
    assertEquals(List.of(all.get(0), all.get(2), all.get(3)), cut.get(0).items);
    assertEquals(3, lanes.queued());
    assertEquals(bytes(all.subList(4, 7)), lanes.queuedBytes());
  }

  @Test
  void aBatchStopsAtTheByteLimitButAlwaysTakesOneEvent(Vertx vertx) {
    PendingEvent big = item("u", 0);
    Limits limits = new Limits(500, big.bytes * 2L - 1, true);
    Lanes lanes = new Lanes(vertx, policy(10, 0, 1), limits, () -> {});
    lanes.add(big);
    lanes.add(item("u", 0));
    List<Batch> cut = new ArrayList<>();
    lanes.cutDue(System.nanoTime(), batch -> {
      cut.add(batch);
      batch.lane.done();
      return true;
    });
    assertEquals(List.of(1, 1), cut.stream().map(b -> b.items.size()).toList());
    assertEquals(0, lanes.queued());
    assertEquals(0, lanes.queuedBytes());
  }

  @Test
  void aKeysQueuedEventsLeaveInOrderAndTheOthersStay(Vertx vertx) {
    Lanes lanes = new Lanes(vertx, policy(10, 10_000, 4), Limits.DEFAULT, () -> {});
    List<PendingEvent> all = new ArrayList<>();
    for (int i = 0; i < 12; i++) all.add(item(i % 3 == 0 ? "hot" : "u" + i, i % 2));
    all.forEach(lanes::add);
    List<PendingEvent> taken = new ArrayList<>();
    lanes.takeKeys(Set.of("hot"), (key, item) -> {
      assertEquals("hot", key);
      taken.add(item);
    });
    assertEquals(List.of(all.get(0), all.get(3), all.get(6), all.get(9)), taken);
    assertEquals(8, lanes.queued());

    int dropped = lanes.dropPartitions(Set.of(1));
    long partitionOneLeft = all.stream().filter(i -> !taken.contains(i) && i.entry.partition() == 1).count();
    assertEquals(partitionOneLeft, dropped);
    assertEquals(8 - dropped, lanes.queued());
    assertEquals(bytes(all.stream().filter(i -> !taken.contains(i) && i.entry.partition() == 0).toList()),
        lanes.queuedBytes());
  }

  @Test
  void aPartialBatchWaitsForTheLingerUnlessTheReadAheadIsFull(Vertx vertx) {
    AtomicInteger lingered = new AtomicInteger();
    Lanes lanes = new Lanes(vertx, policy(5, 50, 1), Limits.DEFAULT, lingered::incrementAndGet);
    lanes.add(item("u", 0));
    List<Batch> cut = new ArrayList<>();
    lanes.cutDue(System.nanoTime(), cut::add);
    assertTrue(cut.isEmpty(), "one event of five: it lingers");
    eventually(Duration.ofSeconds(10), () -> "the linger timer fired", () -> lingered.get() == 1);
    lanes.cutDue(System.nanoTime(), cut::add);
    assertEquals(1, cut.size(), "cut once it has lingered");

    // A full read-ahead (5 events x 1 in flight x 2) is cut at once, lingering or not.
    Lanes full = new Lanes(vertx, policy(5, 60_000, 1), Limits.DEFAULT, () -> {});
    for (int i = 0; i < 10; i++) full.add(item("u", 0));
    List<Batch> fullCut = new ArrayList<>();
    full.cutDue(System.nanoTime(), fullCut::add);
    assertEquals(1, fullCut.size());
    assertEquals(5, fullCut.get(0).items.size());
    full.clear();
    assertEquals(0, full.queued());
    assertEquals(0, full.queuedBytes());
  }
}
