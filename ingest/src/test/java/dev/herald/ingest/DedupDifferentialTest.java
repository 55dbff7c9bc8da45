package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.destination.api.Event;
import dev.herald.ingest.ItemOutcome.Accepted;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Deduplicator} (a filtered set per bucket) against {@link ReferenceDeduplicator} (boxed,
 * the original), fed the same random
 * claims, confirms, releases, clock moves and restores: every admission, every wait for another
 * request's claim, the size, the duplicates and the evictions agree step by step.
 */
class DedupDifferentialTest {

  private static final Buffer PAYLOAD = Buffer.buffer("{}");
  private Vertx vertx;
  private Context context;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
  }

  @AfterEach
  void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** What a request's admission came to, whichever implementation. */
  private record Result(List<Accepted> fresh, int duplicates, Object ticket) {}

  /** One implementation under test. */
  private interface Subject {
    Future<Result> admit(List<Accepted> events, Context context);

    void settle(Object ticket, boolean confirmed);

    void restore(long fingerprint, long acceptedAtMillis);

    void enforceCap();

    int size();

    long evicted();

    long duplicates();
  }

  private static Subject reference(Duration window, int maxEntries, TestClock clock) {
    ReferenceDeduplicator d = new ReferenceDeduplicator(window, maxEntries, clock);
    return new Subject() {
      public Future<Result> admit(List<Accepted> events, Context context) {
        return d.admit(events, context).map(a -> new Result(a.fresh(), a.duplicates(), a.ticket()));
      }

      public void settle(Object ticket, boolean confirmed) {
        if (confirmed) {
          d.confirm((ReferenceDeduplicator.Ticket) ticket);
        } else {
          d.release((ReferenceDeduplicator.Ticket) ticket);
        }
      }

      public void restore(long fingerprint, long at) {
        d.restore(fingerprint, at);
      }

      public void enforceCap() {
        d.enforceCap();
      }

      public int size() {
        return d.size();
      }

      public long evicted() {
        return d.evicted();
      }

      public long duplicates() {
        return d.duplicates();
      }
    };
  }

  private static Subject buckets(Duration window, int maxEntries, TestClock clock) {
    Deduplicator d = new Deduplicator(window, maxEntries, clock);
    return new Subject() {
      public Future<Result> admit(List<Accepted> events, Context context) {
        return d.admit(events, context).map(a -> new Result(a.fresh(), a.duplicates(), a.ticket()));
      }

      public void settle(Object ticket, boolean confirmed) {
        if (confirmed) {
          d.confirm((Deduplicator.Ticket) ticket);
        } else {
          d.release((Deduplicator.Ticket) ticket);
        }
      }

      public void restore(long fingerprint, long at) {
        d.restore(fingerprint, at);
      }

      public void enforceCap() {
        d.enforceCap();
      }

      public int size() {
        return d.size();
      }

      public long evicted() {
        return d.evicted();
      }

      public long duplicates() {
        return d.duplicates();
      }
    };
  }

  private interface Factory {
    Subject create(Duration window, int maxEntries, TestClock clock);
  }

  /** One request, admitted by both. */
  private static final class Request {
    final List<Accepted> events;
    final Future<Result> expected;
    final Future<Result> actual;

    Request(List<Accepted> events, Future<Result> expected, Future<Result> actual) {
      this.events = events;
      this.expected = expected;
      this.actual = actual;
    }
  }

  private final class Run {
    final Random random;
    final TestClock clock = new TestClock(Instant.parse("2026-11-23T12:00:00Z"));
    final Duration window;
    final Subject reference;
    final Subject deduplicator;
    final int ids;
    final List<Request> waiting = new ArrayList<>();
    final List<Request> unsettled = new ArrayList<>();
    /** Requests that met another request's unsettled claim and waited. */
    int waited;

    Run(Factory subject, long seed, Duration window, int maxEntries, int ids) {
      this.random = new Random(seed);
      this.window = window;
      this.ids = ids;
      this.reference = reference(window, maxEntries, clock);
      this.deduplicator = subject.create(window, maxEntries, clock);
    }

    Accepted event() {
      String source = random.nextInt(4) == 0 ? "backend" : "web";
      String topic = random.nextInt(4) == 0 ? "jobs" : "analytics";
      String messageId = "m-" + random.nextInt(ids);
      return new Accepted(new Event(messageId, "track", topic, source, messageId, clock.instant(), PAYLOAD));
    }

    /** As the journal replays: ids of the window and older ones, in any order. */
    void restore(int count) {
      for (int i = 0; i < count; i++) {
        Event event = event().event();
        long fingerprint = Fingerprint.of(event.sourceId(), event.topic(), event.messageId());
        long at = clock.millis() - (long) (random.nextDouble() * window.toMillis() * 1.2);
        reference.restore(fingerprint, at);
        deduplicator.restore(fingerprint, at);
      }
      reference.enforceCap();
      deduplicator.enforceCap();
      compare("restore");
    }

    void step(int index) throws Exception {
      int choice = random.nextInt(100);
      onContext(() -> {
        if (choice < 45 || unsettled.isEmpty()) {
          List<Accepted> events = new ArrayList<>();
          for (int i = 1 + random.nextInt(6); i > 0; i--) {
            events.add(event());
          }
          Request request = new Request(events, reference.admit(events, context), deduplicator.admit(events, context));
          if (!request.actual.isComplete()) {
            waited++;
          }
          waiting.add(request);
        } else if (choice < 85) {
          Request request = unsettled.remove(random.nextInt(unsettled.size()));
          settle(request, random.nextInt(5) > 0);
        } else if (choice < 97) {
          clock.advance(Duration.ofMillis((long) (random.nextDouble() * window.toMillis() / 6)));
        } else {
          clock.advance(window.plusMillis(random.nextInt(1000)));
        }
      });
      // Retries of requests that waited run after the step, before this barrier.
      onContext(() -> { });
      compare("step " + index);
    }

    void settle(Request request, boolean confirmed) {
      reference.settle(request.expected.result().ticket(), confirmed);
      deduplicator.settle(request.actual.result().ticket(), confirmed);
    }

    void compare(String where) {
      for (var it = waiting.iterator(); it.hasNext(); ) {
        Request request = it.next();
        assertEquals(request.expected.isComplete(), request.actual.isComplete(), where + ": waits differently");
        if (request.expected.isComplete()) {
          Result expected = request.expected.result();
          Result actual = request.actual.result();
          assertEquals(ids(expected.fresh()), ids(actual.fresh()), where + ": fresh events differ");
          assertEquals(expected.duplicates(), actual.duplicates(), where + ": duplicates differ");
          it.remove();
          unsettled.add(request);
        }
      }
      assertEquals(reference.size(), deduplicator.size(), where + ": size differs");
      assertEquals(reference.evicted(), deduplicator.evicted(), where + ": evicted differs");
      assertEquals(reference.duplicates(), deduplicator.duplicates(), where + ": duplicate count differs");
    }

    /** Settles everything, so every waiting request gets its answer, and compares. */
    void drain() throws Exception {
      for (int rounds = 0; !(waiting.isEmpty() && unsettled.isEmpty()); rounds++) {
        assertTrue(rounds < 10_000, "requests still waiting: " + waiting.size());
        onContext(() -> {
          while (!unsettled.isEmpty()) {
            settle(unsettled.remove(0), true);
          }
        });
        onContext(() -> { });
        compare("drain");
      }
    }
  }

  private static List<String> ids(List<Accepted> events) {
    return events.stream().map(e -> e.event().sourceId() + "/" + e.event().topic() + "/" + e.event().messageId())
        .toList();
  }

  private interface Action {
    void run() throws Exception;
  }

  private void onContext(Action action) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        action.run();
        done.complete(null);
      } catch (Throwable e) {
        done.completeExceptionally(e);
      }
    });
    done.get(20, TimeUnit.SECONDS);
  }

  private void runSteps(Run run, int steps) throws Exception {
    for (int i = 0; i < steps; i++) {
      run.step(i);
    }
    run.drain();
  }

  private void agreesThroughClaimsWaitsReleasesAndTheWindow(Factory subject) throws Exception {
    Run run = new Run(subject, 31, Duration.ofHours(1), 2_000_000, 300);
    run.restore(200);
    runSteps(run, 6000);
    assertTrue(run.waited > 100, "waited " + run.waited);
  }

  private void agreesWhenTheBoundEvictsTheOldestEighthOverAndOver(Factory subject) throws Exception {
    Run run = new Run(subject, 32, Duration.ofHours(1), 160, 2000);
    run.restore(400);
    runSteps(run, 8000);
    assertTrue(run.deduplicator.evicted() > 1000, "evicted " + run.deduplicator.evicted());
  }

  private void agreesWithATinyBoundWhereEveryIdOpensAGeneration(Factory subject) throws Exception {
    // An eighth of 7 is one id: buckets by the hundred, many emptied by releases.
    Run run = new Run(subject, 33, Duration.ofMinutes(10), 7, 40);
    run.restore(50);
    runSteps(run, 10_000);
  }

  private void agreesAfterARestoreOfMoreThanTheBound(Factory subject) throws Exception {
    Run run = new Run(subject, 34, Duration.ofMinutes(30), 500, 5000);
    run.restore(3000);
    runSteps(run, 3000);
  }

  @Test
  void theBucketsAgreeThroughClaimsWaitsReleasesAndTheWindow() throws Exception {
    agreesThroughClaimsWaitsReleasesAndTheWindow(DedupDifferentialTest::buckets);
  }

  @Test
  void theBucketsAgreeWhenTheBoundEvictsTheOldestEighthOverAndOver() throws Exception {
    agreesWhenTheBoundEvictsTheOldestEighthOverAndOver(DedupDifferentialTest::buckets);
  }

  @Test
  void theBucketsAgreeWithATinyBoundWhereEveryIdOpensABucket() throws Exception {
    agreesWithATinyBoundWhereEveryIdOpensAGeneration(DedupDifferentialTest::buckets);
  }

  @Test
  void theBucketsAgreeAfterARestoreOfMoreThanTheBound() throws Exception {
    agreesAfterARestoreOfMoreThanTheBound(DedupDifferentialTest::buckets);
  }
}
