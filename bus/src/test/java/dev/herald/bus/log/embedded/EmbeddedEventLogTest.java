package dev.herald.bus.log.embedded;

import static dev.herald.bus.log.LogTestSupport.assertSameEvent;
import static dev.herald.bus.log.LogTestSupport.await;
import static dev.herald.bus.log.LogTestSupport.awaitFailure;
import static dev.herald.bus.log.LogTestSupport.drain;
import static dev.herald.bus.log.LogTestSupport.event;
import static dev.herald.bus.log.LogTestSupport.events;
import static dev.herald.bus.log.embedded.EmbeddedLogTestSupport.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.deadletter.DeadLetter;
import dev.herald.bus.deadletter.DeadLetterStore;
import dev.herald.bus.deadletter.FileDeadLetterStore;
import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogSubscription;
import dev.herald.bus.log.LogUnavailableException;
import dev.herald.destination.api.Event;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class EmbeddedEventLogTest {

  @TempDir
  Path dir;

  @Test
  void everyFieldSurvivesAppendAndPollAcrossSegmentRollOvers(Vertx vertx) throws Exception {
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 4096)));
    int total = 0;
    for (int batch = 1; batch <= 20; batch++) {
      await(log.append(events(total, batch)));
      total += batch;
    }
    assertEquals(total, log.endOffset());
    assertEquals(0, log.startOffset());

    List<Path> files;
    try (Stream<Path> listing = Files.list(dir.resolve("segments"))) {
      files = listing.sorted().toList();
    }
    assertTrue(files.size() >= 4, "expected several segments, got " + files);
    for (Path file : files) {
      assertTrue(file.getFileName().toString().matches("\\d{20}\\.log"), file.toString());
      assertTrue(Files.size(file) <= 4096, file + " exceeds segmentBytes: " + Files.size(file));
    }
    assertEquals(log.segmentBaseOffsetsForTest().size(), files.size());

    LogSubscription subscription = await(log.subscribe("dest"));
    List<LogEntry> entries = drain(subscription, 37);
    assertEquals(total, entries.size());
    for (int i = 0; i < total; i++) {
      LogEntry entry = entries.get(i);
      assertEquals(0, entry.partition());
      assertEquals(i, entry.offset());
      assertEquals(event(i).payloadBytes().length(), entry.sizeBytes());
      assertSameEvent(event(i), entry.event());
    }
    await(log.close());
  }

  @Test
  void pollHonoursRecordAndByteLimits(Vertx vertx) throws Exception {
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1 << 20)));
    await(log.append(events(0, 50)));
    LogSubscription subscription = await(log.subscribe("dest"));
    assertEquals(7, await(subscription.poll(7, Long.MAX_VALUE)).size());
    int eventBytes = event(7).payloadBytes().length();
    List<LogEntry> byBytes = await(subscription.poll(100, eventBytes * 3L));
    assertTrue(byBytes.size() >= 2 && byBytes.size() <= 3, "got " + byBytes.size());
    assertEquals(7, byBytes.get(0).offset());
    // one entry even when it alone exceeds maxBytes, so a large event cannot stall a consumer
    assertEquals(1, await(subscription.poll(100, 1)).size());
    await(log.close());
  }

  @Test
  void concurrentAppendsShareFsyncsAndAllComplete(Vertx vertx) throws Exception {
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 256 * 1024)));
    int callers = 4;
    int appendsPerCaller = 200;
    List<Future<String>> deployments = new ArrayList<>();
    for (int c = 0; c < callers; c++) {
      deployments.add(vertx.deployVerticle(new AppendingVerticle(log, c, appendsPerCaller)));
    }
    // each verticle's start() succeeds only once all its appends completed on its own context
    await(Future.all(deployments));
    assertEquals(callers * appendsPerCaller, log.appendCount());
    assertTrue(log.fsyncCount() < log.appendCount(),
        "fsyncs " + log.fsyncCount() + " were not shared by " + log.appendCount() + " appends");
    int expectedEvents = callers * AppendingVerticle.eventsPerCaller(appendsPerCaller);
    assertEquals(expectedEvents, log.endOffset());
    List<LogEntry> entries = drain(await(log.subscribe("all")), 1000);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      assertEquals(i, entries.get(i).offset());
      ids.add(entries.get(i).event().messageId());
    }
    assertEquals(expectedEvents, ids.size());
    await(log.close());
  }

  /** Fires all its appends at once on its own event loop, then checks each completed there. */
  private static final class AppendingVerticle extends VerticleBase {
    private final EmbeddedEventLog log;
    private final int caller;
    private final int appends;

    AppendingVerticle(EmbeddedEventLog log, int caller, int appends) {
      this.log = log;
      this.caller = caller;
      this.appends = appends;
    }

    static int eventsPerCaller(int appends) {
      int sum = 0;
      for (int a = 0; a < appends; a++) {
        sum += 1 + a % 10;
      }
      return sum;
    }

    @Override
    public Future<?> start() {
      Context mine = context;
      List<Future<Void>> done = new ArrayList<>();
      for (int a = 0; a < appends; a++) {
        List<Event> batch = new ArrayList<>();
        for (int e = 0; e < 1 + a % 10; e++) {
          Event template = event(e);
          batch.add(new Event("c" + caller + "-a" + a + "-e" + e, template.type(), template.topic(),
              template.sourceId(), template.partitionKey(), template.receivedAt(),
              template.payloadBytes()));
        }
        done.add(log.append(batch).compose(v -> Vertx.currentContext() == mine
            ? Future.<Void>succeededFuture()
            : Future.<Void>failedFuture("append completed off the caller's context")));
      }
      return Future.all(done);
    }
  }

  @Test
  void subscriptionWakesWhenEventsAreAppended(Vertx vertx, VertxTestContext test)
      throws Exception {
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1 << 20)));
    LogSubscription subscription = await(log.subscribe("dest"));
    Checkpoint sawNothingFirst = test.checkpoint();
    Checkpoint sawAppended = test.checkpoint();
    boolean[] appended = {false};
    vertx.runOnContext(start -> subscription.onAvailable(v -> subscription.poll(100, 1 << 20)
        .onComplete(test.succeeding(entries -> {
          if (!appended[0]) {
            test.verify(() -> assertEquals(List.of(), entries));
            appended[0] = true;
            sawNothingFirst.flag();
            log.append(List.of(event(1))).onFailure(test::failNow);
          } else if (!entries.isEmpty()) {
            test.verify(() -> assertSameEvent(event(1), entries.get(0).event()));
            sawAppended.flag();
          }
        }))));
    assertTrue(test.awaitCompletion(30, TimeUnit.SECONDS));
    await(subscription.close());
    await(log.close());
  }

  @Test
  void committedCursorSurvivesReopen(Vertx vertx) throws Exception {
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 2048)));
    await(log.append(events(0, 40)));
    LogSubscription subscription = await(log.subscribe("amplitude"));
    assertEquals(40, drain(subscription, 100).size());
    assertEquals(40, subscription.lag());
    await(subscription.commit(Map.of(0, 25L)));
    await(subscription.commit(Map.of(0, 5L)));
    assertEquals(15, subscription.lag());
    assertInstanceOf(IllegalArgumentException.class,
        awaitFailure(subscription.commit(Map.of(1, 3L))));
    assertInstanceOf(IllegalArgumentException.class,
        awaitFailure(subscription.commit(Map.of(0, 41L))));
    await(log.close());
    assertEquals("25", Files.readString(dir.resolve("cursors/amplitude.cursor")).trim());

    EmbeddedEventLog reopened = await(EmbeddedEventLog.open(vertx, options(dir, 2048)));
    LogSubscription again = await(reopened.subscribe("amplitude"));
    assertEquals(15, again.lag());
    List<LogEntry> rest = drain(again, 6);
    assertEquals(15, rest.size());
    assertEquals(25, rest.get(0).offset());
    assertSameEvent(event(25), rest.get(0).event());
    await(reopened.close());
  }

  @Test
  void newConsumerStartsAtTheLogStartAndOddIdsMakeSafeFileNames(Vertx vertx) throws Exception {
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1 << 20)));
    await(log.append(events(0, 3)));
    LogSubscription subscription = await(log.subscribe("../team a/ü"));
    assertEquals(0, await(subscription.poll(1, 1 << 20)).get(0).offset());
    await(subscription.commit(Map.of(0, 2L)));
    await(log.close());
    try (Stream<Path> cursors = Files.list(dir.resolve("cursors"))) {
      assertEquals(List.of("%2E%2E%2Fteam%20a%2F%C3%BC.cursor"),
          cursors.map(p -> p.getFileName().toString()).toList());
    }
    EmbeddedEventLog reopened = await(EmbeddedEventLog.open(vertx, options(dir, 1 << 20)));
    assertEquals(Map.of("../team a/ü", 2L), reopened.committedOffsets());
    await(reopened.close());
  }

  @Test
  void appendAfterCloseFailsWithLogUnavailable(Vertx vertx) throws Exception {
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1 << 20)));
    await(log.append(events(0, 2)));
    Future<Void> closing = log.close();
    assertInstanceOf(LogUnavailableException.class, awaitFailure(log.append(events(2, 1))));
    await(closing);
    assertInstanceOf(LogUnavailableException.class, awaitFailure(log.append(events(2, 1))));
    assertInstanceOf(LogUnavailableException.class, awaitFailure(log.subscribe("late")));
  }

  @Test
  void appendsQueuedBeforeCloseAreWrittenByClose(Vertx vertx) throws Exception {
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1 << 20)));
    List<Future<Void>> appends = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      appends.add(log.append(events(i, 1)));
    }
    await(log.close());
    for (Future<Void> append : appends) {
      assertTrue(append.toCompletionStage().toCompletableFuture().isDone());
      await(append);
    }
    EmbeddedEventLog reopened = await(EmbeddedEventLog.open(vertx, options(dir, 1 << 20)));
    assertEquals(50, reopened.endOffset());
    await(reopened.close());
  }

  @Test
  void failingFileFailsTheAppendAndTheLogRecovers(Vertx vertx) throws Exception {
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1 << 20)));
    await(log.append(events(0, 1)));
    log.breakActiveSegmentForTest();
    Throwable failure = awaitFailure(log.append(events(1, 3)));
    assertInstanceOf(LogUnavailableException.class, failure);
    assertEquals(1, log.endOffset());

    await(log.append(events(4, 1)));
    assertEquals(2, log.endOffset());
    List<LogEntry> entries = drain(await(log.subscribe("dest")), 10);
    assertEquals(2, entries.size());
    assertSameEvent(event(0), entries.get(0).event());
    assertSameEvent(event(4), entries.get(1).event());
    assertEquals(1, entries.get(1).offset());
    await(log.close());
  }

  @Test
  void intervalFsyncAcknowledgesAfterWriteAndStillForces(Vertx vertx) throws Exception {
    EmbeddedLogOptions interval = new EmbeddedLogOptions(dir, EmbeddedLogOptions.Fsync.INTERVAL,
        java.time.Duration.ofMillis(50), 1 << 20, 0, null);
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, interval));
    await(log.append(events(0, 5)));
    assertEquals(5, await(log.subscribe("dest").compose(s -> s.poll(10, 1 << 20))).size());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (log.fsyncCount() == 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertTrue(log.fsyncCount() > 0, "the interval fsync never ran");
    await(log.close());
  }

  @Test
  void appendsBeyondThePendingBoundAreRefusedNotQueued(Vertx vertx) throws Exception {
    long oneAppend = RecordFormat.maxRecordBytes(event(1));
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1 << 20),
        oneAppend * 3));
    List<Future<Void>> appends = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      appends.add(log.append(List.of(event(1))));
    }
    int accepted = 0;
    int refused = 0;
    for (Future<Void> append : appends) {
      try {
        await(append);
        accepted++;
      } catch (java.util.concurrent.ExecutionException e) {
        assertInstanceOf(LogUnavailableException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("behind"), e.getCause().getMessage());
        refused++;
      }
    }
    assertTrue(refused > 0, "nothing was refused");
    assertEquals(accepted, log.endOffset(), "refused appends must not be written");
    await(log.append(List.of(event(2))));
    await(log.close());
  }

  @Test
  void anAppendOverThePendingBoundIsRefusedEvenWhenNothingIsPending(Vertx vertx) throws Exception {
    long threeEvents = events(0, 3).stream().mapToLong(RecordFormat::maxRecordBytes).sum();
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1 << 20), threeEvents));
    Throwable failure = awaitFailure(log.append(events(0, 4)));
    assertInstanceOf(IllegalArgumentException.class, failure);
    assertTrue(failure.getMessage().contains("pending"), failure.getMessage());
    assertEquals(0, log.endOffset(), "a refused append must not be written");
    await(log.append(events(0, 3)));
    assertEquals(3, log.endOffset());
    await(log.close());
  }

  @Test
  void oversizedEventIsRefusedAsBadInput(Vertx vertx) throws Exception {
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1 << 20)));
    Event huge = new Event("big", "track", "analytics", "web", "u", event(0).receivedAt(),
        io.vertx.core.buffer.Buffer.buffer(new byte[RecordFormat.MAX_BODY_BYTES + 1]));
    Throwable failure = awaitFailure(log.append(List.of(huge)));
    assertInstanceOf(IllegalArgumentException.class, failure);
    assertTrue(failure.getMessage().contains("big"), failure.getMessage());
    assertEquals(0, log.endOffset());
    await(log.close());
  }

  @Test
  void closedSubscriptionRefusesPolls(Vertx vertx) throws Exception {
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1 << 20)));
    await(log.append(events(0, 3)));
    LogSubscription subscription = await(log.subscribe("dest"));
    assertEquals(1, await(subscription.poll(1, 1 << 20)).size());
    await(subscription.close());
    assertInstanceOf(IllegalStateException.class, awaitFailure(subscription.poll(1, 1 << 20)));
    await(log.close());
  }

  @Test
  void deadLettersAreKeptInOneFilePerDestinationBesideTheSegments(Vertx vertx) throws Exception {
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1 << 20)));
    DeadLetterStore store = await(log.openDeadLetters("hook"));
    await(store.append(List.of(DeadLetter.of(event(1), "hook", "HTTP 400", 400, null, 1, null,
        event(1).receivedAt()))));
    await(store.close());
    await(log.close());

    Path file = dir.resolve("dead-letters").resolve("hook.ndjson");
    assertTrue(Files.isRegularFile(file), "the file Herald has always kept dead letters in");
    assertEquals(1, Files.readAllLines(file).size());
    FileDeadLetterStore reopened = await(FileDeadLetterStore.open(vertx, dir.resolve("dead-letters"), "hook"));
    assertEquals(1, reopened.count());
    await(reopened.close());
  }

  @Test
  void invalidOptionsAreRefusedWithTheReason(Vertx vertx) throws Exception {
    Throwable failure = awaitFailure(EmbeddedEventLog.open(vertx, options(dir, 0)));
    assertInstanceOf(IllegalArgumentException.class, failure);
    assertTrue(failure.getMessage().contains("segmentBytes"), failure.getMessage());
  }
}
