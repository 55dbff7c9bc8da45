package dev.herald.launcher;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client posting batches to ingest as a well-behaved SDK does: a batch counts as acknowledged
 * only when answered 200; a 503 or 429 (log unavailable, rate limit) or a dead connection is
 * retried with the same messageIds after a short wait, within a deadline.
 */
final class FaultLoad {

  final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final WebClient client;
  private final String writeKey;
  private final Random random;
  int refusals;

  FaultLoad(WebClient client, String writeKey, Random random) {
    this.client = client;
    this.writeKey = writeKey;
    this.random = random;
  }

  /** A batch of {@code size} new events, with messageIds from the seeded random. */
  JsonArray batch(int size) {
    JsonArray events = new JsonArray();
    for (int i = 0; i < size; i++) {
      String id = new UUID(random.nextLong(), random.nextLong()).toString();
      events.add(new JsonObject().put("type", "track").put("event", "Fault Suite").put("userId", "u" + random.nextInt(50))
          .put("messageId", id));
    }
    return events;
  }

  /** Posts {@code events} to {@code port} once; true when answered 200 (then they are acknowledged). */
  boolean postOnce(int port, JsonArray events) {
    HttpResponse<Buffer> response;
    try {
      response = Polling.await(client.post(port, "127.0.0.1", "/v1/batch")
          .basicAuthentication(writeKey, "").sendJsonObject(new JsonObject().put("batch", events)));
    } catch (Exception e) { // await rethrows the cause as is, checked ones too (connection reset)
      refusals++; // the connection failed (the process is down): not acknowledged
      return false;
    }
    if (response.statusCode() == 200) {
      events.forEach(e -> acknowledged.add(((JsonObject) e).getString("messageId")));
      return true;
    }
    if (response.statusCode() != 503 && response.statusCode() != 429) {
      throw new AssertionError("ingest answered " + response.statusCode() + ": " + response.bodyAsString());
    }
    refusals++;
    return false;
  }

  /** Posts until answered 200, or fails after {@code timeout}; the port may change (a restart). */
  void post(java.util.function.IntSupplier port, JsonArray events, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!postOnce(port.getAsInt(), events)) {
      if (System.nanoTime() > deadline) throw new AssertionError("ingest refused a batch for " + timeout);
      Thread.sleep(200); // a client's back-off before retrying a 503
    }
  }

  static List<String> ids(JsonArray events) {
    List<String> ids = new ArrayList<>();
    events.forEach(e -> ids.add(((JsonObject) e).getString("messageId")));
    return ids;
  }
}
