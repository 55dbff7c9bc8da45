package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogEntry;
import dev.herald.destination.api.Event;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/topics/{topic}}: raw records as an object, an array or NDJSON. */
class RawTopicTest extends IngestTestBase {

  private static final String SIGNUP = "{\"event\":{\"event_type\":\"signup\",\"user_id\":\"user-42\"},"
      + "\"timestamp\":\"2026-11-23T10:00:00Z\"}";

  private List<Event> events() throws Exception {
    return readLog().stream().map(LogEntry::event).toList();
  }

  @Test
  void oneObjectIsStoredAsSent() throws Exception {
    HttpResponse<Buffer> response = post("/v1/topics/service-events", Buffer.buffer(SIGNUP),
        headers(WEB_KEY, "application/json"));

    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals(new JsonObject().put("success", true).put("accepted", 1).put("rejected", 0)
        .put("duplicates", 0).put("errors", new JsonArray()), json(response));
    Event event = events().get(0);
    assertEquals("service-events", event.topic());
    assertNull(event.type());
    assertEquals("web", event.sourceId());
    assertEquals(new JsonObject(SIGNUP), event.payload());
    UUID.fromString(event.messageId());
    // No key and no Idempotency-Key: the messageId is the partition key.
    assertEquals(event.messageId(), event.partitionKey());
  }

  @Test
  void arrayOfObjectsAndTrailingSlash() throws Exception {
    JsonArray records = new JsonArray().add(new JsonObject().put("n", 1).put("key", "k-a"))
        .add(new JsonObject().put("n", 2).put("key", 77)).add(new JsonObject().put("n", 3));
    HttpResponse<Buffer> response = post("/v1/topics/orders/", records.toBuffer(), headers(WEB_KEY, "application/json"));

    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals(3, json(response).getInteger("accepted"));
    List<Event> events = events();
    assertEquals(List.of(1, 2, 3), events.stream().map(e -> e.payload().getInteger("n")).toList());
    assertEquals("k-a", events.get(0).partitionKey());
    assertEquals("77", events.get(1).partitionKey());
    assertEquals(events.get(2).messageId(), events.get(2).partitionKey());
    assertTrue(events.stream().allMatch(e -> e.topic().equals("orders")));
  }

  @Test
  void ndjsonRecords() throws Exception {
    String ndjson = "{\"n\":1,\"messageId\":\"own-1\"}\n{\"n\":2}\r\n\n{\"n\":3}\n";
    HttpResponse<Buffer> response = post("/v1/topics/clicks", Buffer.buffer(ndjson),
        headers(WEB_KEY, "application/x-ndjson"));

    assertEquals(200, response.statusCode(), response.bodyAsString());
    assertEquals(3, json(response).getInteger("accepted"));
    List<Event> events = events();
    assertEquals(List.of(1, 2, 3), events.stream().map(e -> e.payload().getInteger("n")).toList());
    assertEquals("own-1", events.get(0).messageId());
  }

  @Test
  void idempotencyKeyNamesTheRecordsAndDeduplicatesARetry() throws Exception {
    MultiMap headers = headers(WEB_KEY, "application/json").add("Idempotency-Key", "req-9");
    Buffer two = new JsonArray().add(new JsonObject().put("n", 1)).add(new JsonObject().put("n", 2)).toBuffer();
    assertEquals(2, json(post("/v1/topics/jobs", two, headers)).getInteger("accepted"));
    JsonObject retried = json(post("/v1/topics/jobs", two, headers));
    assertEquals(0, retried.getInteger("accepted"));
    assertEquals(2, retried.getInteger("duplicates"));

    MultiMap single = headers(WEB_KEY, "application/json").add("Idempotency-Key", "req-10");
    assertEquals(1, json(post("/v1/topics/jobs", new JsonObject().put("n", 3).toBuffer(), single)).getInteger("accepted"));

    List<Event> events = events();
    assertEquals(List.of("req-9-0", "req-9-1", "req-10"), events.stream().map(Event::messageId).toList());
    assertEquals(List.of("req-9-0", "req-9-1", "req-10"), events.stream().map(Event::partitionKey).toList());
  }

  @Test
  void nonObjectRecordsAreRejectedOneByOne() throws Exception {
    Buffer mixed = Buffer.buffer("[{\"n\":1}, 42, \"text\", {\"n\":2}, {\"messageId\":7}]");
    JsonObject answer = json(post("/v1/topics/mixed", mixed, headers(WEB_KEY, null)));
    assertEquals(2, answer.getInteger("accepted"));
    assertEquals(3, answer.getInteger("rejected"));
    assertEquals(List.of(1, 2, 4), answer.getJsonArray("errors").stream()
        .map(e -> ((JsonObject) e).getInteger("index")).toList());
    assertEquals(2, events().size());

    JsonObject none = assertError(post("/v1/topics/mixed", Buffer.buffer("[1, 2]"), headers(WEB_KEY, null)),
        400, "invalid_event");
    assertEquals(2, none.getInteger("rejected"));
    assertEquals(2, events().size());
  }

  @Test
  void oversizedRecordIsRejectedAlone() throws Exception {
    JsonArray records = new JsonArray().add(new JsonObject().put("blob", "x".repeat(40_000)))
        .add(new JsonObject().put("n", 1));
    JsonObject answer = json(post("/v1/topics/big", records.toBuffer(), headers(WEB_KEY, null)));
    assertEquals(1, answer.getInteger("accepted"));
    assertEquals("event_too_large", answer.getJsonArray("errors").getJsonObject(0).getString("code"));
  }

  @Test
  void badTopicsAndKeysAreRefusedBeforeTheBody() throws Exception {
    JsonObject reserved = assertError(post("/v1/topics/analytics", Buffer.buffer("{}"), headers(WEB_KEY, null)),
        400, "invalid_topic");
    assertTrue(reserved.getString("message").contains("/v1/track"), reserved.getString("message"));
    assertError(post("/v1/topics/bad%20name", Buffer.buffer("{}"), headers(WEB_KEY, null)), 400, "invalid_topic");
    assertError(post("/v1/topics/" + "t".repeat(201), Buffer.buffer("{}"), headers(WEB_KEY, null)), 400, "invalid_topic");
    MultiMap longKey = headers(WEB_KEY, null).add("Idempotency-Key", "k".repeat(81));
    assertError(post("/v1/topics/ok", Buffer.buffer("{}"), longKey), 400, "bad_request");
    assertError(post("/v1/topics/ok", Buffer.buffer("<xml/>"), headers(WEB_KEY, "application/xml")),
        415, "unsupported_media_type");
    assertTrue(events().isEmpty());
  }

  @Test
  void rawTopicsTakeTheKeyOnlyAsBasicAuth() throws Exception {
    JsonObject body = assertError(post("/v1/topics/t1", new JsonObject().put("writeKey", WEB_KEY).toBuffer(),
        headers(null, "application/json")), 401, "invalid_write_key");
    assertTrue(body.getString("message").contains("Basic"), body.getString("message"));
    assertError(post("/v1/topics/t1", Buffer.buffer("{}"), headers("wrong-key", null)), 401, "invalid_write_key");
    assertTrue(events().isEmpty());
  }

  @Test
  void malformedBodiesAreInvalidJson() throws Exception {
    assertError(post("/v1/topics/t2", Buffer.buffer("{\"n\":1}\n{\"n\":"), headers(WEB_KEY, null)), 400, "invalid_json");
    assertError(post("/v1/topics/t2", Buffer.buffer(""), headers(WEB_KEY, null)), 400, "invalid_json");
    assertError(post("/v1/topics/t2", Buffer.buffer("[]"), headers(WEB_KEY, null)), 400, "invalid_batch");
    assertTrue(events().isEmpty());
  }

  @Test
  void tooManyRecordsIs413() throws Exception {
    StringBuilder ndjson = new StringBuilder();
    for (int i = 0; i <= 1000; i++) {
      ndjson.append("{\"n\":").append(i).append("}\n");
    }
    JsonObject body = assertError(post("/v1/topics/many", Buffer.buffer(ndjson.toString()), headers(WEB_KEY, null)),
        413, "batch_too_large");
    assertTrue(body.getString("message").contains("maxBatchEvents (1000)"), body.getString("message"));
  }
}
