package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Jackson's read constraints, with Herald's own names and the value found in every answer. */
class JsonLimitsTest extends IngestTestBase {

  @Override
  IngestOptions options() {
    return super.options().withJsonLimits(new JsonLimits(16, 1000, 30));
  }

  private static String nested(int depth) {
    // The event is level 1, properties level 2, then objects down to the given depth.
    return "{\"userId\":\"u\",\"event\":\"Deep\",\"properties\":" + "{\"a\":".repeat(depth - 2) + "{}"
        + "}".repeat(depth - 2) + "}";
  }

  @Test
  void nestingDeeperThanTheLimitIs400() throws Exception {
    JsonObject body = assertError(post("/v1/track", Buffer.buffer(nested(17)), headers(WEB_KEY, null)),
        400, "nesting_too_deep");
    assertTrue(body.getString("message").contains("17 levels")
        && body.getString("message").contains("maxJsonDepth (16)"), body.getString("message"));
    assertEquals(200, post("/v1/track", Buffer.buffer(nested(16)), headers(WEB_KEY, null)).statusCode());
    // Deep enough to overflow a naive recursive parser's stack: still a clean 400.
    assertError(post("/v1/batch", Buffer.buffer("{\"batch\":" + "[".repeat(400_000)), headers(WEB_KEY, null)),
        400, "nesting_too_deep");
    assertEquals(1, readLog().size());
  }

  @Test
  void longNumbersAre400() throws Exception {
    String digits = "9".repeat(31);
    JsonObject body = assertError(post("/v1/track", Buffer.buffer("{\"userId\":\"u\",\"event\":\"N\",\"properties\":{\"n\":"
        + digits + "}}"), headers(WEB_KEY, null)), 400, "number_too_long");
    assertTrue(body.getString("message").contains("31 characters")
        && body.getString("message").contains("maxNumberLength (30)"), body.getString("message"));
    String fraction = "1." + "0".repeat(40);
    assertError(post("/v1/track", Buffer.buffer("{\"userId\":\"u\",\"event\":\"N\",\"properties\":{\"n\":"
        + fraction + "}}"), headers(WEB_KEY, null)), 400, "number_too_long");
    assertTrue(readLog().isEmpty());
  }

  @Test
  void hugeButShortNumbersAreRefusedOrKeptExactly() throws Exception {
    JsonObject infinite = assertError(post("/v1/track", Buffer.buffer(
        "{\"userId\":\"u\",\"event\":\"N\",\"properties\":{\"n\":1e999}}"), headers(WEB_KEY, null)), 400, "invalid_json");
    assertTrue(infinite.getString("message").contains("1e999"), infinite.getString("message"));
    String big = "123456789012345678901234567890";
    assertEquals(200, post("/v1/track", Buffer.buffer("{\"userId\":\"u\",\"event\":\"N\",\"properties\":{\"n\":"
        + big + "}}"), headers(WEB_KEY, null)).statusCode());
    String stored = readLog().get(0).event().payloadBytes().toString();
    assertTrue(stored.contains("\"n\":" + big), stored);
  }

  @Test
  void longStringIs413ForASingleEvent() throws Exception {
    JsonObject body = assertError(post("/v1/track", track("u", "S").put("properties",
        new JsonObject().put("s", "y".repeat(1001))), WEB_KEY), 413, "string_too_long");
    assertTrue(body.getString("message").contains("1001 characters")
        && body.getString("message").contains("maxStringLength (1000)"), body.getString("message"));
    assertError(post("/v1/track", new JsonObject().put("userId", "u").put("event", "S").put("k".repeat(1001), 1), WEB_KEY),
        413, "string_too_long");
    assertEquals(200, post("/v1/track", track("u", "S").put("properties",
        new JsonObject().put("s", "y".repeat(1000))), WEB_KEY).statusCode());
    assertEquals(1, readLog().size());
  }

  @Test
  void longStringRejectsOnlyItsBatchItem() throws Exception {
    JsonArray items = new JsonArray()
        .add(track("u", "Long").put("type", "track").put("messageId", "long-1")
            .put("properties", new JsonObject().put("s", "y".repeat(2000)).put("after", true)))
        .add(track("u", "Fine").put("type", "track"));
    JsonObject answer = json(post("/v1/batch", new JsonObject().put("batch", items), WEB_KEY));
    assertEquals(1, answer.getInteger("accepted"));
    JsonObject error = answer.getJsonArray("errors").getJsonObject(0);
    assertEquals(0, error.getInteger("index"));
    assertEquals("long-1", error.getString("messageId"));
    assertEquals("string_too_long", error.getString("code"));
    assertEquals(List.of("Fine"), readLog().stream().map(e -> e.event().payloadString("event")).toList());
  }

  @Test
  void limitsAreCheckedBeyondTheFirstItemOfABatch() throws Exception {
    String items = "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"A\"}," + nested(40).replace("{\"userId\"", "{\"type\":\"track\",\"userId\"");
    assertError(post("/v1/batch", Buffer.buffer("{\"batch\":[" + items + "]}"), headers(WEB_KEY, null)),
        400, "nesting_too_deep");
    assertTrue(readLog().isEmpty());
  }
}
