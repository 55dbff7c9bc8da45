package dev.herald.destination.segment;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * A local server playing Segment's Tracking API {@code POST /v1/batch} as documented: the write
 * key as Basic user with an empty password (else 401), a JSON body of at most 500 KB (after gzip
 * inflation) holding {@code batch} (at most 2,500 events of at most 32 KB each) and an ISO
 * {@code sentAt} (else 400 with a message), 200 {@code {"success":true}} otherwise. It keeps each
 * request it took. Runs on its own Vert.x, so the plugin under test cannot stall it.
 */
final class SegmentApiServer implements AutoCloseable {

  /** One accepted request. */
  record Batch(int bodyBytes, boolean gzipped, Instant sentAt, List<JsonObject> events) {}

  private final Vertx vertx = Vertx.vertx();
  private final String writeKey;
  private final List<Batch> batches = new ArrayList<>();
  private final List<String> refusals = new ArrayList<>();
  private HttpServer server;

  private SegmentApiServer(String writeKey) {
    this.writeKey = writeKey;
  }

  static SegmentApiServer start(String writeKey) {
    SegmentApiServer s = new SegmentApiServer(writeKey);
    s.server = s.vertx.createHttpServer().requestHandler(s::handle).listen(0, "127.0.0.1").await();
    return s;
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  synchronized List<Batch> batches() {
    return List.copyOf(batches);
  }

  /** Why requests were refused, in order. */
  synchronized List<String> refusals() {
    return List.copyOf(refusals);
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(raw -> {
      String expected = "Basic " + Base64.getEncoder().encodeToString((writeKey + ":").getBytes(StandardCharsets.UTF_8));
      if (!req.method().name().equals("POST") || !req.path().equals("/v1/batch")) {
        refuse(req, 404, "no route " + req.method() + " " + req.path());
      } else if (!expected.equals(req.getHeader("Authorization"))) {
        refuse(req, 401, "Invalid write key");
      } else if (!String.valueOf(req.getHeader("Content-Type")).startsWith("application/json")) {
        refuse(req, 400, "content-type must be application/json");
      } else {
        boolean gzipped = "gzip".equals(req.getHeader("Content-Encoding"));
        Buffer body = gzipped ? inflate(raw) : raw;
        String problem = problem(body);
        if (problem != null) {
          refuse(req, 400, problem);
        } else {
          JsonObject json = body.toJsonObject();
          List<JsonObject> events = new ArrayList<>();
          json.getJsonArray("batch").forEach(e -> events.add((JsonObject) e));
          synchronized (this) {
            batches.add(new Batch(body.length(), gzipped, Instant.parse(json.getString("sentAt")), events));
          }
          req.response().putHeader("Content-Type", "application/json").end("{\"success\":true}");
        }
      }
    });
  }

  private static String problem(Buffer body) {
    if (body == null) return "unreadable gzip";
    if (body.length() > 500 * 1024) return "request is " + body.length() + " bytes, over 500 KB";
    JsonObject json;
    try {
      json = body.toJsonObject();
    } catch (RuntimeException e) {
      return "invalid JSON";
    }
    if (!(json.getValue("batch") instanceof JsonArray batch)) return "no batch array";
    if (batch.size() > 2_500) return batch.size() + " events, over 2500";
    for (Object e : batch) {
      if (!(e instanceof JsonObject event)) return "a batch item is not an object";
      if (event.toBuffer().length() > 32 * 1024) return "an event is over 32 KB";
      if (!(event.getValue("messageId") instanceof String)) return "an event has no messageId";
    }
    try {
      Instant.parse(json.getString("sentAt"));
    } catch (RuntimeException e) {
      return "sentAt is not an ISO-8601 instant";
    }
    return null;
  }

  private synchronized void refuse(HttpServerRequest req, int status, String message) {
    refusals.add(status + " " + message);
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("success", false).put("message", message).encode());
  }

  private static Buffer inflate(Buffer gzipped) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.getBytes()))) {
      return Buffer.buffer(in.readNBytes(600 * 1024));
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
