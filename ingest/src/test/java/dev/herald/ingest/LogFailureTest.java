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
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The answer follows the append: 200 only once it is durable, 503 when it fails. */
class LogFailureTest extends IngestTestBase {

  private InterposedEventLog interposed;

  @Override
  EventLog createLog(Vertx vertx, Path dir) throws Exception {
    interposed = new InterposedEventLog(super.createLog(vertx, dir));
    return interposed;
  }

  @Test
  void answersOnlyAfterTheAppendCompletes() throws Exception {
    Promise<Void> appendStarted = Promise.promise();
    Promise<Void> gate = Promise.promise();
    AtomicBoolean released = new AtomicBoolean();
    interposed.interposer = (events, log) -> {
      appendStarted.tryComplete();
      return log.append(events).compose(v -> gate.future());
    };

    Future<HttpResponse<Buffer>> response = client.post("/v1/batch").putHeader("Authorization", basic(WEB_KEY))
        .sendJsonObject(new JsonObject().put("batch", new JsonArray().add(track("u", "Gated").put("type", "track"))));
    await(appendStarted.future());
    vertx.setTimer(300, id -> {
      released.set(true);
      gate.complete();
    });

    HttpResponse<Buffer> answer = await(response);
    assertTrue(released.get(), "answered before the append completed");
    assertEquals(200, answer.statusCode());
    assertEquals(List.of("Gated"), readLog().stream().map(e -> e.event().payloadString("event")).toList());
  }

  @Test
  void closedLogIs503WithRetryAfter() throws Exception {
    await(log.close());
    for (HttpResponse<Buffer> response : List.of(
        post("/v1/track", track("u", "E"), WEB_KEY),
        post("/v1/batch", new JsonObject().put("batch", new JsonArray().add(track("u", "E").put("type", "track"))), WEB_KEY))) {
      JsonObject body = assertError(response, 503, "log_unavailable");
      assertEquals("5", response.getHeader("Retry-After"));
      assertTrue(body.getString("message").contains("retry"), body.getString("message"));
    }
  }

  @Test
  void anyAppendFailureIs503NeverSuccess() throws Exception {
    interposed.interposer = (events, log) -> Future.failedFuture(new IllegalStateException("disk on fire"));
    HttpResponse<Buffer> failed = post("/v1/track", track("u", "E"), WEB_KEY);
    assertError(failed, 503, "log_unavailable");
    assertFalse(failed.bodyAsString().contains("disk on fire"));

    interposed.interposer = (events, log) -> {
      throw new IllegalStateException("thrown, not returned");
    };
    assertError(post("/v1/track", track("u", "E"), WEB_KEY), 503, "log_unavailable");
    assertTrue(readLog().isEmpty());
  }

  @Test
  void unexpectedErrorsAre500Json() throws Exception {
    interposed.interposer = (events, log) -> null;
    JsonObject body = assertError(post("/v1/track", track("u", "E"), WEB_KEY), 500, "internal_error");
    assertTrue(body.getString("message").contains("not accepted"), body.getString("message"));
    // The server survives it.
    interposed.interposer = (events, log) -> log.append(events);
    assertEquals(200, post("/v1/track", track("u", "E"), WEB_KEY).statusCode());
  }
}
