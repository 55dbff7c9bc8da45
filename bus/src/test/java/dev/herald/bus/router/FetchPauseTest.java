package dev.herald.bus.router;

import static dev.herald.bus.router.TestSupport.await;
import static dev.herald.bus.router.TestSupport.eventually;
import static dev.herald.bus.router.TestSupport.fastPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.bus.deadletter.DeadLetterStore;
import dev.herald.bus.log.EventLog;
import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogSubscription;
import dev.herald.destination.api.Event;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The runner tells its subscription to stop fetching while it cannot send (breaker open, paused). */
@ExtendWith(VertxExtension.class)
class FetchPauseTest {

  @TempDir Path dir;

  @Test
  void theSubscriptionPausesWhileTheBreakerIsOpenOrAnOperatorPausedAndResumesAfter(Vertx vertx) {
    RecordingLog log = new RecordingLog(TestSupport.openLog(vertx, dir.resolve("log")));
    AtomicBoolean down = new AtomicBoolean(true);
    CaptureServer server = new CaptureServer(vertx).respond((n, events) ->
        down.get() ? CaptureServer.Reply.status(503, "down") : CaptureServer.Reply.ok());
    int port = server.start();
    Router router = TestSupport.deployRouter(vertx, log, dir.resolve("dead-letters"),
        new RouteSpec("hook", "http", new HttpTestDestination(vertx, port), null, fastPolicy()));
    await(log.append(TestSupport.events(20, 3)));

    eventually(() -> "pause on breaker open: " + log.calls, () -> log.calls.contains("pause"));
    down.set(false);
    eventually(() -> "all delivered: " + server.deliveredCount(), () -> server.deliveredCount() >= 20);
    eventually(() -> "resumed: " + log.calls, () -> log.calls.get(log.calls.size() - 1).equals("resume"));

    int before = log.calls.size();
    DestinationRunner runner = router.runner("hook").orElseThrow();
    runner.pause();
    eventually(() -> "operator pause: " + log.calls, () -> log.calls.size() == before + 1);
    runner.resume();
    eventually(() -> "operator resume: " + log.calls, () -> log.calls.size() == before + 2);
    assertEquals(List.of("pause", "resume"), log.calls.subList(before, before + 2));
    for (int i = 0; i + 1 < log.calls.size(); i += 2) {
      assertEquals(List.of("pause", "resume"), log.calls.subList(i, i + 2), "alternating: " + log.calls);
    }
    TestSupport.undeploy(vertx, router);
    await(log.close());
    await(server.close());
  }

  /** The real log, with its subscriptions' pause and resume calls recorded. */
  private static final class RecordingLog implements EventLog {
    final EventLog log;
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    RecordingLog(EventLog log) {
      this.log = log;
    }

    @Override
    public Future<Void> append(List<Event> events) {
      return log.append(events);
    }

    @Override
    public Future<LogSubscription> subscribe(String consumerId) {
      return log.subscribe(consumerId).map(real -> new LogSubscription() {
        @Override public Future<List<LogEntry>> poll(int maxRecords, long maxBytes) { return real.poll(maxRecords, maxBytes); }
        @Override public Future<Void> commit(Map<Integer, Long> nextOffsets) { return real.commit(nextOffsets); }
        @Override public void onAvailable(Handler<Void> handler) { real.onAvailable(handler); }
        @Override public void onPartitionsRevoked(Handler<Set<Integer>> handler) { real.onPartitionsRevoked(handler); }
        @Override public void pause() { calls.add("pause"); real.pause(); }
        @Override public void resume() { calls.add("resume"); real.resume(); }
        @Override public long lag() { return real.lag(); }
        @Override public Future<Void> close() { return real.close(); }
      });
    }

    @Override
    public Future<DeadLetterStore> openDeadLetters(String destinationId) {
      return log.openDeadLetters(destinationId);
    }

    @Override
    public Future<Void> close() {
      return log.close();
    }
  }
}
