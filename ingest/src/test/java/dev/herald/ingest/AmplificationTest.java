package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogEntry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A batch's {@code context} and {@code integrations} are merged into every item, so a small
 * request could be stored many times over. {@code maxEventBytes} bounds each event as stored,
 * and the request's stored total is bounded by {@link IngestOptions#maxStoredRequestBytes()}.
 */
class AmplificationTest extends IngestTestBase {

  private static JsonObject strings(int count, int length) {
    JsonObject object = new JsonObject();
    for (int i = 0; i < count; i++) {
      object.put("k" + i, String.valueOf((char) ('a' + i)).repeat(length));
    }
    return object;
  }

  private static JsonArray tinyItems(int count) {
    JsonArray items = new JsonArray();
    for (int i = 0; i < count; i++) {
      items.add(new JsonObject().put("type", "track").put("userId", "u" + i).put("event", "E"));
    }
    return items;
  }

  private static long storedBytes(List<LogEntry> entries) {
    return entries.stream().mapToLong(e -> e.event().payloadBytes().length()).sum();
  }

  @Test
  void anItemOverMaxEventBytesOnceTheBatchContextIsMergedInIsRejectedAlone() throws Exception {
    JsonObject batch = new JsonObject().put("context", strings(2, 20_000))
        .put("batch", tinyItems(3).add(new JsonObject().put("type", "track").put("userId", "own").put("event", "E")
            // This item's own context wins over the batch's, so it stays small.
            .put("context", new JsonObject().put("k0", "x").put("k1", "y"))));
    HttpResponse<Buffer> response = post("/v1/batch", batch, WEB_KEY);

    assertEquals(200, response.statusCode(), response.bodyAsString());
    JsonObject answer = json(response);
    assertEquals(1, answer.getInteger("accepted"));
    assertEquals(3, answer.getInteger("rejected"));
    JsonObject error = answer.getJsonArray("errors").getJsonObject(0);
    assertEquals(0, error.getInteger("index"));
    assertEquals("event_too_large", error.getString("code"));
    assertTrue(error.getString("message").contains("once stored") && error.getString("message")
        .contains("maxEventBytes (32768 bytes)"), error.getString("message"));
    List<LogEntry> stored = readLog();
    assertEquals(1, stored.size());
    assertEquals("own", stored.get(0).event().payload().getString("userId"));
  }

  @Test
  void batchIntegrationsAreBoundedLikeContext() throws Exception {
    // Three 32,000-character strings: 96 KB merged into every item.
    JsonObject batch = new JsonObject().put("integrations", strings(3, 32_000)).put("batch", tinyItems(50));
    JsonObject answer = assertError(post("/v1/batch", batch, WEB_KEY), 400, "invalid_event");
    assertEquals(50, answer.getInteger("rejected"));
    assertEquals("event_too_large", answer.getJsonArray("errors").getJsonObject(49).getString("code"));
    assertTrue(readLog().isEmpty());
  }

  @Test
  void aRequestWhoseEventsTotalOverTheStoredBoundIs413AndStoresNothing() throws Exception {
    // Each item fits in maxEventBytes once merged (~30 KB), but 200 of them would store 6 MB from a 40 KB request.
    JsonObject batch = new JsonObject().put("context", strings(1, 30_000)).put("batch", tinyItems(200));
    JsonObject body = assertError(post("/v1/batch", batch, WEB_KEY), 413, "payload_too_large");
    String message = body.getString("message");
    assertTrue(message.contains("maxStoredRequestBytes") && message.contains("2048000"), message);
    assertTrue(readLog().isEmpty());
    // A batch that fits is stored, with the context merged into each item.
    JsonObject fits = new JsonObject().put("context", strings(1, 30_000)).put("batch", tinyItems(20));
    assertEquals(200, post("/v1/batch", fits, WEB_KEY).statusCode());
    List<LogEntry> stored = readLog();
    assertEquals(20, stored.size());
    assertEquals(30_000, stored.get(19).event().payload().getJsonObject("context").getString("k0").length());
  }

  @Test
  void theReportedAttackStoresAtMostTheBoundInsteadOfAThousandCopies() throws Exception {
    // 13 strings of 32,000 characters and 1,000 tiny items: a 464 KB request that stored 416 MB.
    JsonObject batch = new JsonObject().put("context", strings(13, 32_000)).put("batch", tinyItems(1000));
    Buffer request = batch.toBuffer();
    assertTrue(request.length() < IngestOptions.DEFAULT_MAX_REQUEST_BYTES, "request " + request.length());
    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> response = post("/v1/batch", request, headers(WEB_KEY, "application/json"));
      // Refused once the refused items alone pass the stored bound, after about 63 of the 1,000.
      assertEquals(413, response.statusCode(), response.bodyAsString());
    }
    assertEquals(0, storedBytes(readLog()));
    // The server still serves.
    assertEquals(200, post("/v1/track", track("u", "After"), WEB_KEY).statusCode());
  }

  @Test
  void rawRecordsAreBoundAsStoredToo() throws Exception {
    // 1e2 is stored as 100.0: a record just under the limit as sent can grow past it re-encoded.
    String record = "{\"n\":[" + "1e2,".repeat(32768 / 4 - 10) + "1]}";
    JsonObject answer = assertError(post("/v1/topics/numbers", Buffer.buffer(record), headers(WEB_KEY,
        "application/json")), 400, "invalid_event");
    assertEquals("event_too_large", answer.getJsonArray("errors").getJsonObject(0).getString("code"));
    assertTrue(readLog().isEmpty());
  }
}
