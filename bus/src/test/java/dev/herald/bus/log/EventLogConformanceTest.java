package dev.herald.bus.log;

import static dev.herald.bus.log.LogTestSupport.assertSameEvent;
import static dev.herald.bus.log.LogTestSupport.awaitFailure;
import static dev.herald.bus.log.LogTestSupport.event;
import static dev.herald.bus.log.LogTestSupport.events;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.deadletter.DeadLetter;
import dev.herald.bus.deadletter.DeadLetterQuery;
import dev.herald.bus.deadletter.DeadLetterStore;
import dev.herald.bus.deadletter.ReplayMark;
import dev.herald.destination.api.Event;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every {@link EventLog} guarantees, run against each implementation (the embedded log and
 * Kafka): acknowledged appends survive a restart with every field, each partition key's events
 * keep their order, a consumer resumes right after its committed offsets, dead letters round-trip,
 * and entries retention deletes before a consumer committed them are counted as that consumer's
 * loss. A subclass provides the log; everything it stores is the test's own (a fresh directory or
 * topic), and consumer ids are made unique per test with {@link #consumer}.
 */
@ExtendWith(VertxExtension.class)
public abstract class EventLogConformanceTest {

  private final String run = UUID.randomUUID().toString().substring(0, 8);

  /** Opens this test's log (the same storage every time it is called in one test). */
  protected abstract EventLog open(Vertx vertx) throws Exception;

  /** The log after retention deleted its oldest entries, and where each partition now starts. */
  public record Retained(EventLog log, Map<Integer, Long> startOffsets) {}

  /**
   * Makes retention delete roughly the older half of the log, all of {@code entries} being stored
   * (the log may be closed and opened again to apply it).
   */
  protected abstract Retained applyRetention(Vertx vertx, EventLog log, List<LogEntry> entries)
      throws Exception;

  /** Events each consumer lost to retention, as the log counts them. */
  protected abstract Map<String, Long> retentionLosses(EventLog log);

  /** How long entries may take to become readable after their append was acknowledged. */
  protected Duration readTimeout() {
    return Duration.ofSeconds(30);
  }

  /** Waits (bounded) for a future's result. */
  protected static <T> T await(Future<T> future) throws Exception {
    return LogTestSupport.await(future);
  }

  protected String consumer(String name) {
    return name + "-" + run;
  }

  @Test
  void acknowledgedAppendsSurviveARestartWithEveryField(Vertx vertx) throws Exception {
    EventLog log = open(vertx);
    int total = 0;
    for (int batch = 1; batch <= 12; batch++) {
      await(log.append(events(total, batch)));
      total += batch;
    }
    await(log.close());

    EventLog reopened = open(vertx);
    LogSubscription subscription = await(reopened.subscribe(consumer("reader")));
    List<LogEntry> entries = readExactly(subscription, total);
    Map<String, LogEntry> byMessageId = new HashMap<>();
    for (LogEntry entry : entries) {
      byMessageId.put(entry.event().messageId(), entry);
    }
    assertEquals(total, byMessageId.size(), "every event exactly once");
    for (int i = 0; i < total; i++) {
      LogEntry entry = byMessageId.get("msg-" + i);
      assertSameEvent(event(i), entry.event());
      assertEquals(event(i).payloadBytes().length(), entry.sizeBytes());
    }
    assertOffsetsIncreasePerPartition(entries);
    await(subscription.close());
    await(reopened.close());
    Throwable refused = awaitFailure(reopened.append(events(0, 1)));
    assertInstanceOf(LogUnavailableException.class, refused);
  }

  @Test
  void eachKeysEventsKeepTheirOrder(Vertx vertx) throws Exception {
    EventLog log = open(vertx);
    int keys = 17;
    int perKey = 40;
    // Appends issued back to back without waiting: the log keeps their order.
    List<Future<Void>> appends = new ArrayList<>();
    int seq = 0;
    for (int round = 0; round < perKey / 4; round++) {
      List<Event> batch = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        for (int k = 0; k < keys; k++) {
          batch.add(keyed("key-" + k, seq++));
        }
      }
      appends.add(log.append(batch));
    }
    await(Future.all(appends));

    LogSubscription subscription = await(log.subscribe(consumer("ordered")));
    List<LogEntry> entries = readExactly(subscription, keys * perKey);
    Map<String, List<Integer>> seqByKey = new HashMap<>();
    Map<String, Integer> partitionByKey = new HashMap<>();
    for (LogEntry entry : entries) {
      String key = entry.event().partitionKey();
      seqByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(seqOf(entry.event()));
      Integer before = partitionByKey.putIfAbsent(key, entry.partition());
      assertTrue(before == null || before == entry.partition(), key + " spread over two partitions");
    }
    assertEquals(keys, seqByKey.size());
    for (Map.Entry<String, List<Integer>> key : seqByKey.entrySet()) {
      List<Integer> sorted = key.getValue().stream().sorted().toList();
      assertEquals(sorted, key.getValue(), key.getKey() + " out of order");
      assertEquals(perKey, key.getValue().size());
    }
    await(subscription.close());
    await(log.close());
  }

  @Test
  void aConsumerResumesRightAfterItsCommittedOffsetsAfterARestart(Vertx vertx) throws Exception {
    EventLog log = open(vertx);
    int total = 90;
    await(log.append(events(0, total)));
    LogSubscription first = await(log.subscribe(consumer("resume")));
    // Another consumer that has read nothing yet (the embedded log keeps what it has not passed).
    await(await(log.subscribe(consumer("other"))).close());
    List<LogEntry> read = readExactly(first, total);

    // Settle (and commit) the first third of each partition's entries.
    Map<Integer, List<LogEntry>> byPartition = byPartition(read);
    Map<Integer, Long> commit = new HashMap<>();
    Set<String> unsettled = new HashSet<>();
    byPartition.forEach((partition, list) -> {
      int settled = list.size() / 3;
      commit.put(partition, list.get(settled).offset());
      list.subList(settled, list.size()).forEach(e -> unsettled.add(e.event().messageId()));
    });
    await(first.commit(commit));
    await(first.close());
    await(log.close());

    EventLog reopened = open(vertx);
    LogSubscription again = await(reopened.subscribe(consumer("resume")));
    List<LogEntry> reread = readExactly(again, unsettled.size());
    assertEquals(unsettled, messageIds(reread), "exactly the uncommitted entries come again");
    LogSubscription other = await(reopened.subscribe(consumer("other")));
    assertEquals(total, readExactly(other, total).size(), "consumers have cursors of their own");
    await(again.close());
    await(other.close());
    await(reopened.close());
  }

  @Test
  void aConsumerStartedAtTheEndReadsOnlyLaterEventsAndOneWithAPositionKeepsIt(Vertx vertx) throws Exception {
    EventLog log = open(vertx);
    await(log.append(events(0, 20)));
    assertTrue(await(log.startAtEnd(consumer("late"))), "a new consumer gets a position at the end");
    LogSubscription started = await(log.subscribe(consumer("early")));
    Map<Integer, Long> next = new HashMap<>();
    readExactly(started, 20).forEach(e -> next.merge(e.partition(), e.offset() + 1, Math::max));
    await(started.commit(next));
    await(started.close());
    assertFalse(await(log.startAtEnd(consumer("early"))), "a consumer with a position keeps it");
    assertFalse(await(log.startAtEnd(consumer("late"))), "asking twice changes nothing");
    await(log.append(events(20, 10)));
    LogSubscription late = await(log.subscribe(consumer("late")));
    Set<String> later = new HashSet<>();
    events(20, 10).forEach(e -> later.add(e.messageId()));
    assertEquals(later, messageIds(readExactly(late, 10)), "only the events appended after");
    await(late.close());
    await(log.close());
  }

  @Test
  void deadLettersRoundTrip(Vertx vertx) throws Exception {
    EventLog log = open(vertx);
    String destination = consumer("dlq");
    DeadLetterStore store = await(log.openDeadLetters(destination));
    Instant t0 = Instant.now().minusSeconds(60);
    List<DeadLetter> letters = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String reason = i % 2 == 0 ? "HTTP 400: invalid user_id" : "retries exhausted: HTTP 503";
      letters.add(DeadLetter.of(event(i), destination, reason, i % 2 == 0 ? 400 : 503, "body " + i,
          i + 1, t0.plusSeconds(i), t0.plusSeconds(10 + i)));
    }
    List<DeadLetter> stored = await(store.append(letters));
    assertEquals(6, stored.size());
    for (int i = 1; i < stored.size(); i++) {
      assertTrue(stored.get(i).id() > stored.get(i - 1).id(), "ids increase in write order");
    }
    assertEquals(6, store.count());
    await(store.close());
    await(log.close());

    EventLog reopened = open(vertx);
    DeadLetterStore again = await(reopened.openDeadLetters(destination));
    assertEquals(6, again.count());
    List<DeadLetter> all = await(again.list(DeadLetterQuery.firstPage()));
    assertEquals(6, all.size());
    for (int i = 0; i < 6; i++) {
      DeadLetter expected = letters.get(i);
      DeadLetter actual = all.get(i);
      assertEquals(stored.get(i).id(), actual.id());
      assertEquals(expected.messageId(), actual.messageId());
      assertEquals(expected.reason(), actual.reason());
      assertEquals(expected.status(), actual.status());
      assertEquals(expected.responseExcerpt(), actual.responseExcerpt());
      assertEquals(expected.attempts(), actual.attempts());
      assertEquals(expected.firstAttemptAt(), actual.firstAttemptAt());
      assertEquals(expected.deadLetteredAt(), actual.deadLetteredAt());
      assertSameEvent(event(i), actual.toEvent());
    }
    assertEquals(List.of("msg-1", "msg-3", "msg-5"), await(again.list(DeadLetterQuery.firstPage()
        .withReasonContaining("EXHAUSTED"))).stream().map(DeadLetter::messageId).toList());
    assertEquals(List.of("msg-4"), await(again.list(DeadLetterQuery.firstPage()
        .withMessageId("msg-4"))).stream().map(DeadLetter::messageId).toList());
    assertEquals(List.of("msg-2", "msg-3"), await(again.list(DeadLetterQuery.firstPage()
        .withOffset(2).withLimit(2))).stream().map(DeadLetter::messageId).toList());

    List<DeadLetter> more = await(again.append(List.of(DeadLetter.of(event(6), destination,
        "HTTP 413", 413, null, 1, null, Instant.now()))));
    assertTrue(more.get(0).id() > stored.get(5).id(), "ids keep increasing after a restart");
    assertEquals(7, again.count());
    await(again.close());
    await(reopened.close());
    Throwable refused = awaitFailure(reopened.openDeadLetters(destination));
    assertInstanceOf(LogUnavailableException.class, refused, "a closed log opens no dead-letter store");
  }

  @Test
  void replayMarksDeletionsAndPausesSurviveARestart(Vertx vertx) throws Exception {
    EventLog log = open(vertx);
    String destination = consumer("marks");
    DeadLetterStore store = await(log.openDeadLetters(destination));
    List<DeadLetter> letters = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      letters.add(DeadLetter.of(event(i), destination, "HTTP 400", 400, null, 1, null, Instant.now()));
    }
    List<DeadLetter> stored = await(store.append(letters));
    Instant at = Instant.parse("2026-01-02T03:04:05Z");
    await(store.markReplayed(List.of(
        new ReplayMark(stored.get(0).id(), "rp-1", ReplayMark.DELIVERED, null, 0, at),
        new ReplayMark(stored.get(1).id(), "rp-1", ReplayMark.FAILED, "HTTP 400", 400, at))));
    await(store.markReplayed(List.of(new ReplayMark(stored.get(1).id(), "rp-2", ReplayMark.DELIVERED, null, 0, at))));
    assertEquals(1L, await(store.delete(DeadLetterQuery.firstPage().withMessageId("msg-3"))));
    log.pausedDestinations().set(destination, true);
    log.pausedDestinations().set(consumer("unpaused"), true);
    log.pausedDestinations().set(consumer("unpaused"), false);
    await(store.close());
    await(log.close());

    EventLog reopened = open(vertx);
    assertTrue(reopened.pausedDestinations().isPaused(destination), "a pause is kept with the cursors");
    assertTrue(!reopened.pausedDestinations().isPaused(consumer("unpaused")));
    DeadLetterStore again = await(reopened.openDeadLetters(destination));
    List<DeadLetter> all = await(again.list(DeadLetterQuery.firstPage()));
    assertEquals(List.of("msg-0", "msg-1", "msg-2", "msg-4"), all.stream().map(DeadLetter::messageId).toList());
    assertEquals(4, again.count());
    assertEquals(new ReplayMark(stored.get(0).id(), "rp-1", ReplayMark.DELIVERED, null, 0, at), all.get(0).replay());
    assertEquals("rp-2", all.get(1).replay().replayId(), "the latest replay's outcome counts");
    assertEquals(List.of("msg-2", "msg-4"), await(again.list(DeadLetterQuery.firstPage()
        .withState(DeadLetterQuery.State.NEW))).stream().map(DeadLetter::messageId).toList());
    assertEquals(List.of("msg-0", "msg-1"), await(again.list(DeadLetterQuery.firstPage()
        .withState(DeadLetterQuery.State.REPLAYED))).stream().map(DeadLetter::messageId).toList());
    assertEquals(List.of("msg-4"), await(again.list(DeadLetterQuery.firstPage().withAfterId(stored.get(2).id())))
        .stream().map(DeadLetter::messageId).toList());
    assertEquals(0L, await(again.delete(DeadLetterQuery.firstPage().withMessageId("msg-3"))), "already deleted");
    reopened.pausedDestinations().set(destination, false);
    await(again.close());
    await(reopened.close());
  }

  @Test
  void entriesRetentionDeletesBeforeTheyWereCommittedCountAsTheConsumersLoss(Vertx vertx)
      throws Exception {
    EventLog log = open(vertx);
    int total = 120;
    await(log.append(events(0, total)));
    LogSubscription first = await(log.subscribe(consumer("slow")));
    List<LogEntry> read = readExactly(first, total);
    Map<Integer, List<LogEntry>> byPartition = byPartition(read);
    Map<Integer, Long> commit = new HashMap<>();
    byPartition.forEach((partition, list) -> commit.put(partition, list.get(Math.min(2, list.size() - 1)).offset()));
    await(first.commit(commit));
    await(first.close());

    Retained retained = applyRetention(vertx, log, read);
    long expectedLoss = 0;
    Set<String> expectedLeft = new HashSet<>();
    for (Map.Entry<Integer, List<LogEntry>> partition : byPartition.entrySet()) {
      long start = retained.startOffsets().getOrDefault(partition.getKey(), 0L);
      long committed = commit.get(partition.getKey());
      expectedLoss += Math.max(0, start - committed);
      for (LogEntry entry : partition.getValue()) {
        if (entry.offset() >= Math.max(start, committed)) {
          expectedLeft.add(entry.event().messageId());
        }
      }
    }
    assertTrue(expectedLoss > 0, "retention must have deleted uncommitted entries: " + retained.startOffsets());

    LogSubscription again = await(retained.log().subscribe(consumer("slow")));
    List<LogEntry> reread = readExactly(again, expectedLeft.size());
    assertEquals(expectedLeft, messageIds(reread), "the consumer continues at the oldest stored entries");
    assertEquals(expectedLoss, retentionLosses(retained.log()).getOrDefault(consumer("slow"), 0L));
    assertEquals(new LogLosses(expectedLoss, 0), again.losses(), "the subscription reports it too");
    await(again.close());
    await(retained.log().close());
  }

  // ---- helpers ----

  /** Polls until {@code count} entries arrived, then checks for a moment that no more come. */
  protected List<LogEntry> readExactly(LogSubscription subscription, int count) throws Exception {
    List<LogEntry> all = new ArrayList<>();
    long deadline = System.nanoTime() + readTimeout().toNanos();
    while (all.size() < count) {
      List<LogEntry> batch = await(subscription.poll(7, Long.MAX_VALUE));
      assertTrue(batch.size() <= 7, "poll returned more than maxRecords");
      all.addAll(batch);
      if (batch.isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("only " + all.size() + " of " + count + " entries arrived");
        }
        Thread.sleep(10); // polling with a deadline: entries arrive asynchronously
      }
    }
    long quiet = System.nanoTime() + Duration.ofMillis(300).toNanos();
    while (System.nanoTime() < quiet) {
      all.addAll(await(subscription.poll(100, Long.MAX_VALUE)));
      Thread.sleep(10);
    }
    assertEquals(count, all.size(), "entries beyond the expected ones: " + messageIds(all));
    return all;
  }

  private static Map<Integer, List<LogEntry>> byPartition(List<LogEntry> entries) {
    Map<Integer, List<LogEntry>> result = new TreeMap<>();
    for (LogEntry entry : entries) {
      result.computeIfAbsent(entry.partition(), p -> new ArrayList<>()).add(entry);
    }
    result.values().forEach(list -> list.sort(Comparator.comparingLong(LogEntry::offset)));
    return result;
  }

  private static void assertOffsetsIncreasePerPartition(List<LogEntry> entries) {
    Map<Integer, Long> last = new HashMap<>();
    for (LogEntry entry : entries) {
      Long before = last.put(entry.partition(), entry.offset());
      assertTrue(before == null || entry.offset() > before,
          "partition " + entry.partition() + " went from " + before + " to " + entry.offset());
    }
  }

  private static Set<String> messageIds(List<LogEntry> entries) {
    return entries.stream().map(e -> e.event().messageId()).collect(Collectors.toSet());
  }

  private static Event keyed(String key, int seq) {
    JsonObject payload = new JsonObject().put("type", "track").put("event", "Step")
        .put("userId", key).put("seq", seq);
    return new Event(key + "-" + seq, "track", "analytics", "web", key, Instant.now(), payload.toBuffer());
  }

  private static int seqOf(Event event) {
    return new JsonObject(event.payloadBytes()).getInteger("seq");
  }
}
