package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.EventLog;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A messageId accepted from a source within the window is acknowledged as a duplicate, not appended again. */
class DedupTest extends IngestTestBase {

  private final TestClock testClock = new TestClock(Instant.parse("2026-11-23T12:00:00Z"));
  private InterposedEventLog interposed;

  @Override
  java.time.Clock clock() {
    return testClock;
  }

  @Override
  IngestOptions options() {
    return super.options().withDedup(DedupOptions.DEFAULTS.withStateDir(logDir.resolve("ingest")));
  }

  @Override
  EventLog createLog(Vertx vertx, Path dir) throws Exception {
    interposed = new InterposedEventLog(super.createLog(vertx, dir));
    return interposed;
  }

  private JsonObject sendTrack(String messageId) throws Exception {
    HttpResponse<Buffer> response = post("/v1/track", track("u", "E").put("messageId", messageId), WEB_KEY);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return json(response);
  }

  private static JsonObject counts(int accepted, int duplicates) {
    return new JsonObject().put("success", true).put("accepted", accepted).put("rejected", 0)
        .put("duplicates", duplicates).put("errors", new JsonArray());
  }

  @Test
  void aRepeatedMessageIdIsAcknowledgedButNotAppended() throws Exception {
    assertEquals(counts(1, 0), sendTrack("m-1"));
    assertEquals(counts(0, 1), sendTrack("m-1"));
    JsonObject batch = new JsonObject().put("batch", new JsonArray()
        .add(track("u", "E").put("type", "track").put("messageId", "m-1"))
        .add(track("u", "E").put("type", "track").put("messageId", "m-2"))
        .add(track("u", "E").put("type", "track").put("messageId", "m-2")));
    assertEquals(counts(1, 2), json(post("/v1/batch", batch, WEB_KEY)));
    assertEquals(List.of("m-1", "m-2"), readLog().stream().map(e -> e.event().messageId()).toList());
    assertEquals(3, state.duplicates());
  }

  @Test
  void theSameIdFromAnotherSourceOrTopicIsNew() throws Exception {
    sendTrack("shared-id");
    assertEquals(1, json(post("/v1/track", track("u", "E").put("messageId", "shared-id"), BACKEND_KEY))
        .getInteger("accepted"));
    assertEquals(1, json(post("/v1/topics/other", new JsonObject().put("messageId", "shared-id"), WEB_KEY))
        .getInteger("accepted"));
    assertEquals(3, readLog().size());
  }

  @Test
  void idsAreForgottenAfterTheWindow() throws Exception {
    sendTrack("w-1");
    testClock.advance(Duration.ofMinutes(59));
    assertEquals(counts(0, 1), sendTrack("w-1"));
    // Remembered for the window plus at most an eighth of it.
    testClock.advance(Duration.ofMinutes(1).plus(Duration.ofHours(1).dividedBy(8)).plusMillis(1));
    assertEquals(counts(1, 0), sendTrack("w-1"));
    assertEquals(2, readLog().size());
  }

  @Test
  void survivesACleanRestart() throws Exception {
    sendTrack("r-1");
    restartIngest();
    assertEquals(counts(0, 1), sendTrack("r-1"));
    assertEquals(counts(1, 0), sendTrack("r-2"));
    assertEquals(1, json(post("/v1/topics/jobs", new JsonObject().put("messageId", "r-1"), WEB_KEY))
        .getInteger("accepted"));
  }

  @Test
  void survivesACrashAfterTheJournalWrite() throws Exception {
    sendTrack("c-1");
    sendTrack("c-2");
    state.journalForTest().awaitWrittenForTest();
    // As a killed process: the journal was written, never compacted nor fsynced.
    state.journalForTest().haltForTest();
    restartIngest();
    assertEquals(counts(0, 1), sendTrack("c-1"));
    assertEquals(counts(0, 1), sendTrack("c-2"));
    assertEquals(2, readLog().size());
  }

  @Test
  void aFailedAppendForgetsTheIdSoTheRetryIsStored() throws Exception {
    interposed.interposer = (events, log) -> Future.failedFuture(new IllegalStateException("disk full"));
    assertError(post("/v1/track", track("u", "E").put("messageId", "f-1"), WEB_KEY), 503, "log_unavailable");
    interposed.interposer = (events, log) -> log.append(events);
    assertEquals(counts(1, 0), sendTrack("f-1"));
    assertEquals(1, readLog().size());
  }

  @Test
  void aDuplicateOfAnInFlightEventWaitsForItsOutcome() throws Exception {
    Promise<Void> gate = Promise.promise();
    Promise<Void> firstAppendStarted = Promise.promise();
    AtomicInteger appends = new AtomicInteger();
    interposed.interposer = (events, log) -> {
      if (appends.incrementAndGet() == 1) {
        firstAppendStarted.complete();
        return gate.future().compose(v -> log.append(events));
      }
      return log.append(events);
    };
    Future<HttpResponse<Buffer>> first = client.post("/v1/track").putHeader("Authorization", basic(WEB_KEY))
        .sendJsonObject(track("u", "E").put("messageId", "p-1"));
    await(firstAppendStarted.future());
    Future<HttpResponse<Buffer>> second = client.post("/v1/track").putHeader("Authorization", basic(WEB_KEY))
        .sendJsonObject(track("u", "E").put("messageId", "p-1"));
    // An unrelated request is not held up meanwhile.
    assertEquals(counts(1, 0), sendTrack("p-2"));
    assertFalse(second.isComplete(), "the duplicate was answered before its first copy was durable");
    gate.complete();
    assertEquals(counts(1, 0), json(await(first)));
    assertEquals(counts(0, 1), json(await(second)));
    assertEquals(List.of("p-2", "p-1"), readLog().stream().map(e -> e.event().messageId()).toList());
  }

  @Test
  void aDuplicateOfAnInFlightEventThatFailsIsStoredItself() throws Exception {
    Promise<Void> gate = Promise.promise();
    Promise<Void> firstAppendStarted = Promise.promise();
    AtomicInteger appends = new AtomicInteger();
    interposed.interposer = (events, log) -> {
      if (appends.incrementAndGet() == 1) {
        firstAppendStarted.complete();
        return gate.future().compose(v -> Future.failedFuture(new IllegalStateException("lost")));
      }
      return log.append(events);
    };
    Future<HttpResponse<Buffer>> first = client.post("/v1/track").putHeader("Authorization", basic(WEB_KEY))
        .sendJsonObject(track("u", "E").put("messageId", "q-1"));
    await(firstAppendStarted.future());
    Future<HttpResponse<Buffer>> second = client.post("/v1/track").putHeader("Authorization", basic(WEB_KEY))
        .sendJsonObject(track("u", "E").put("messageId", "q-1"));
    gate.complete();
    assertEquals(503, await(first).statusCode());
    assertEquals(counts(1, 0), json(await(second)));
    assertEquals(List.of("q-1"), readLog().stream().map(e -> e.event().messageId()).toList());
  }

  @Test
  void concurrentCopiesAreStoredOnce() throws Exception {
    List<Future<HttpResponse<Buffer>>> responses = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      JsonObject body = new JsonObject().put("batch", new JsonArray()
          .add(track("u", "E").put("type", "track").put("messageId", "same-" + (i % 4))));
      responses.add(client.post("/v1/batch").putHeader("Authorization", basic(WEB_KEY)).sendJsonObject(body));
    }
    int accepted = 0;
    int duplicates = 0;
    for (Future<HttpResponse<Buffer>> response : responses) {
      JsonObject answer = json(await(response));
      accepted += answer.getInteger("accepted");
      duplicates += answer.getInteger("duplicates");
    }
    assertEquals(4, accepted);
    assertEquals(36, duplicates);
    assertEquals(4, readLog().size());
  }

  @Test
  void dedupStateLivesUnderTheStateDir() throws Exception {
    sendTrack("s-1");
    restartIngest();
    assertTrue(java.nio.file.Files.size(logDir.resolve("ingest").resolve(DedupJournal.SNAPSHOT)) >= 8 + 16);
  }
}
