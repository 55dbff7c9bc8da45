package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Write keys: HTTP Basic user name or {@code writeKey} in the body; 401 otherwise. */
class AuthTest extends IngestTestBase {

  @Test
  void missingKeyIs401() throws Exception {
    JsonObject body = assertError(post("/v1/track", track("u", "E"), null), 401, "invalid_write_key");
    assertTrue(body.getString("message").contains("writeKey"), body.getString("message"));
    assertError(post("/v1/batch", new JsonObject().put("batch", new JsonArray().add(track("u", "E").put("type", "track"))), null),
        401, "invalid_write_key");
    assertTrue(readLog().isEmpty());
  }

  @Test
  void unknownBasicKeyIs401AndNotEchoed() throws Exception {
    String wrong = "wk_not_a_real_key_51";
    HttpResponse<Buffer> response = post("/v1/track", track("u", "E"), wrong);
    assertError(response, 401, "invalid_write_key");
    assertFalse(response.bodyAsString().contains(wrong));
    assertTrue(readLog().isEmpty());
  }

  @Test
  void unknownBodyKeyIs401AndNotEchoed() throws Exception {
    String wrong = "wk_not_a_real_key_52";
    HttpResponse<Buffer> response = post("/v1/track", track("u", "E").put("writeKey", wrong), null);
    assertError(response, 401, "invalid_write_key");
    assertFalse(response.bodyAsString().contains(wrong));

    JsonObject batch = new JsonObject().put("writeKey", wrong)
        .put("batch", new JsonArray().add(track("u", "E").put("type", "track")));
    HttpResponse<Buffer> batchResponse = post("/v1/batch", batch, null);
    assertError(batchResponse, 401, "invalid_write_key");
    assertFalse(batchResponse.bodyAsString().contains(wrong));
    assertTrue(readLog().isEmpty());
  }

  @Test
  void keyThatIsAPrefixOfARealKeyIs401() throws Exception {
    assertError(post("/v1/track", track("u", "E"), WEB_KEY.substring(0, WEB_KEY.length() - 1)), 401, "invalid_write_key");
    assertError(post("/v1/track", track("u", "E"), WEB_KEY + "x"), 401, "invalid_write_key");
  }

  @Test
  void nonBasicAuthorizationIs401() throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + WEB_KEY);
    JsonObject body = assertError(post("/v1/track", track("u", "E").toBuffer(), headers), 401, "invalid_write_key");
    assertTrue(body.getString("message").contains("Basic"), body.getString("message"));
    assertFalse(body.encode().contains(WEB_KEY));
  }

  @Test
  void eachKeyStampsItsOwnSource() throws Exception {
    assertEquals(200, post("/v1/track", track("u1", "E"), WEB_KEY).statusCode());
    assertEquals(200, post("/v1/track", track("u2", "E"), BACKEND_KEY).statusCode());
    JsonObject batch = new JsonObject().put("writeKey", BACKEND_KEY)
        .put("batch", new JsonArray().add(track("u3", "E").put("type", "track")));
    assertEquals(200, post("/v1/batch", batch, null).statusCode());
    assertEquals(List.of("web", "backend", "backend"),
        readLog().stream().map(e -> e.event().sourceId()).toList());
  }

  @Test
  void basicUserParsing() {
    assertEquals("key", WriteKeyAuthenticator.basicUser(basic("key")));
    assertEquals("key", WriteKeyAuthenticator.basicUser("basic " + basic("key").substring(6)));
    assertEquals("key", WriteKeyAuthenticator.basicUser(
        "Basic " + java.util.Base64.getEncoder().encodeToString("key".getBytes())));
    assertNull(WriteKeyAuthenticator.basicUser("Bearer abc"));
    assertNull(WriteKeyAuthenticator.basicUser("Basic %%%"));
    assertNull(WriteKeyAuthenticator.basicUser(null));
  }

  @Test
  void sourceOptionsNeverPrintTheKey() {
    assertFalse(new SourceOptions("web", WEB_KEY).toString().contains(WEB_KEY));
    assertFalse(options().toString().contains(WEB_KEY));
  }
}
