package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bodies are bounded before they are buffered or inflated, and every limit is named. */
class LimitsTest extends IngestTestBase {

  private NetClient net;

  @BeforeEach
  void createClient() {
    net = vertx.createNetClient();
  }

  @AfterEach
  void closeClient() throws Exception {
    await(net.close());
  }

  @Test
  void declaredContentLengthOverTheLimitIs413BeforeTheBodyIsSent() throws Exception {
    RawHttpExchange exchange = await(RawHttpExchange.open(net, port));
    // Only the head and a few bytes of the declared 10 MB go out: the answer must not wait for the rest.
    await(exchange.write(head("Content-Length: 10000000") + "{\"batch\":["));

    String response = await(exchange.response());
    await(exchange.close());
    assertEquals(413, RawHttpExchange.status(response), response);
    JsonObject body = RawHttpExchange.jsonBody(response);
    assertEquals(false, body.getBoolean("success"));
    assertEquals("payload_too_large", body.getString("code"));
    assertTrue(body.getString("message").contains("maxRequestBytes (512000 bytes)"), body.getString("message"));
    assertTrue(body.getString("message").contains("10000000 bytes declared"), body.getString("message"));
    assertTrue(readLog().isEmpty());
  }

  @Test
  void completeBodyOverTheLimitIs413() throws Exception {
    JsonObject big = new JsonObject().put("batch", new JsonArray().add(track("u", "E").put("type", "track")))
        .put("padding", "x".repeat(600_000));
    JsonObject body = assertError(post("/v1/batch", big, WEB_KEY), 413, "payload_too_large");
    assertTrue(body.getString("message").contains("512000"), body.getString("message"));
    assertTrue(readLog().isEmpty());
    // The server still serves after refusing a body.
    assertEquals(200, post("/v1/track", track("u", "After"), WEB_KEY).statusCode());
  }

  @Test
  void chunkedBodyIsCutOffOnceItCrossesTheLimit() throws Exception {
    RawHttpExchange exchange = await(RawHttpExchange.open(net, port));
    await(exchange.write(head("Transfer-Encoding: chunked") + "a\r\n{\"batch\":[\r\n"));
    Buffer chunk = Buffer.buffer("4000\r\n" + " ".repeat(0x4000) + "\r\n");
    AtomicLong written = new AtomicLong();
    long budget = 64L * 1024 * 1024;
    // Streams until the server answers; a server that waited for the end would never answer.
    long timer = vertx.setPeriodic(1, id -> {
      while (!exchange.response().isComplete() && written.get() < budget && !exchange.writeQueueFull()) {
        exchange.write(chunk);
        written.addAndGet(0x4000);
      }
    });

    String response = await(exchange.response());
    vertx.cancelTimer(timer);
    await(exchange.close());
    assertEquals(413, RawHttpExchange.status(response), response);
    assertEquals("payload_too_large", RawHttpExchange.jsonBody(response).getString("code"));
    assertTrue(written.get() < budget, "the server answered only after " + written.get() + " bytes");
    assertTrue(written.get() > 512_000, "answered before the limit was crossed: " + written.get());
    assertTrue(readLog().isEmpty());
  }

  @Test
  void gzipBodiesAreInflated() throws Exception {
    JsonArray items = new JsonArray();
    for (int i = 0; i < 50; i++) {
      items.add(track("user-" + i, "Zipped " + i).put("type", "track"));
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Authorization", basic(WEB_KEY))
        .add("Content-Type", "application/json").add("Content-Encoding", "gzip");
    byte[] zipped = gzip(new JsonObject().put("batch", items).encode().getBytes(StandardCharsets.UTF_8));
    HttpResponse<Buffer> response = post("/v1/batch", Buffer.buffer(zipped), headers);

    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals(50, json(response).getInteger("accepted"));
    assertEquals("Zipped 49", readLog().get(49).event().payloadString("event"));
  }

  @Test
  void gzipBombIs413() throws Exception {
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(compressed)) {
      gz.write("{\"batch\":[".getBytes(StandardCharsets.UTF_8));
      byte[] spaces = " ".repeat(1024 * 1024).getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 64; i++) {
        gz.write(spaces);
      }
      gz.write("]}".getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(compressed.size() < 512_000, "the bomb must pass the compressed limit: " + compressed.size());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Authorization", basic(WEB_KEY))
        .add("Content-Encoding", "gzip");

    JsonObject body = assertError(post("/v1/batch", Buffer.buffer(compressed.toByteArray()), headers),
        413, "payload_too_large");
    assertTrue(body.getString("message").contains("decompressed"), body.getString("message"));
    assertTrue(body.getString("message").contains("512000"), body.getString("message"));
  }

  @Test
  void badOrUnknownEncodingsAreRefused() throws Exception {
    MultiMap gzipHeaders = MultiMap.caseInsensitiveMultiMap().add("Authorization", basic(WEB_KEY))
        .add("Content-Encoding", "gzip");
    assertError(post("/v1/track", track("u", "E").toBuffer(), gzipHeaders), 400, "invalid_encoding");
    MultiMap brotli = MultiMap.caseInsensitiveMultiMap().add("Authorization", basic(WEB_KEY))
        .add("Content-Encoding", "br");
    JsonObject body = assertError(post("/v1/track", track("u", "E").toBuffer(), brotli), 415, "unsupported_media_type");
    assertTrue(body.getString("message").contains("'br'"), body.getString("message"));
  }

  @Test
  void batchOverMaxBatchEventsIs413AndAtTheLimitIsAccepted() throws Exception {
    JsonArray items = new JsonArray();
    for (int i = 0; i < 1000; i++) {
      items.add(new JsonObject().put("type", "track").put("userId", "u" + i).put("event", "E"));
    }
    HttpResponse<Buffer> atLimit = post("/v1/batch", new JsonObject().put("batch", items), WEB_KEY);
    assertEquals(200, atLimit.statusCode(), atLimit.bodyAsString());
    assertEquals(1000, json(atLimit).getInteger("accepted"));

    items.add(new JsonObject().put("type", "track").put("userId", "u1000").put("event", "E"));
    JsonObject body = assertError(post("/v1/batch", new JsonObject().put("batch", items), WEB_KEY), 413, "batch_too_large");
    assertTrue(body.getString("message").contains("maxBatchEvents (1000)"), body.getString("message"));
    assertEquals(1000, readLog().size());
  }

  @Test
  void brokenChunkFramingClosesTheConnectionAndTheServerCarriesOn() throws Exception {
    RawHttpExchange exchange = await(RawHttpExchange.open(net, port));
    // The chunk claims 10 bytes but carries 11.
    await(exchange.write(head("Transfer-Encoding: chunked") + "a\r\n{\"batch\":[ \r\n"));
    await(exchange.closed());
    assertEquals(200, post("/v1/track", track("u", "After"), WEB_KEY).statusCode());
  }

  private static String head(String lengthHeader) {
    return "POST /v1/batch HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + basic(WEB_KEY)
        + "\r\nContent-Type: application/json\r\n" + lengthHeader + "\r\n\r\n";
  }
}
