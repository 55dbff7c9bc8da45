package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What ingest works out once and reuses across requests gives the same answers as working it out each time. */
class RememberedAnswersTest {

  private static final List<SourceOptions> SOURCES = List.of(new SourceOptions("web", "wk_web_1"),
      new SourceOptions("backend", "wk_backend_2"));

  @Test
  void theSuccessAnswerIsTheBytesOfTheSameJsonObject() {
    for (int[] counts : new int[][] {{1, 0}, {0, 1}, {0, 0}, {100, 0}, {37, 63}, {Integer.MAX_VALUE, 5}}) {
      String expected = new JsonObject().put("success", true).put("accepted", counts[0]).put("rejected", 0)
          .put("duplicates", counts[1]).put("errors", new JsonArray()).encode();
      assertEquals(expected, IngestResponses.successBody(counts[0], counts[1]).toString());
    }
  }

  @Test
  void aRememberedHeaderNamesTheSameSourceAsAFreshCheck() {
    WriteKeyAuthenticator authenticator = new WriteKeyAuthenticator(SOURCES);
    String header = basic("wk_backend_2");
    assertEquals("backend", authenticator.requireSourceOfBasic(header));
    assertEquals(1, authenticator.rememberedHeaders());
    assertEquals("backend", authenticator.requireSourceOfBasic(header));
    assertEquals("web", authenticator.requireSourceOfBasic(basic("wk_web_1")));
    assertEquals(2, authenticator.rememberedHeaders());
  }

  @Test
  void headersThatDoNotAuthenticateAreNeverRemembered() {
    WriteKeyAuthenticator authenticator = new WriteKeyAuthenticator(SOURCES);
    for (int attempt = 0; attempt < 3; attempt++) {
      IngestException refused = assertThrows(IngestException.class,
          () -> authenticator.requireSourceOfBasic(basic("wk_web_")));
      assertEquals(ErrorCode.INVALID_WRITE_KEY, refused.code());
      assertNull(authenticator.requireSourceOfBasic("Bearer wk_web_1"));
      assertNull(authenticator.requireSourceOfBasic("Basic %%%"));
    }
    assertEquals(0, authenticator.rememberedHeaders());
  }

  @Test
  void manySpellingsOfOneKeyStayWithinTheBound() {
    WriteKeyAuthenticator authenticator = new WriteKeyAuthenticator(SOURCES);
    // The password part is ignored, so each of these is a valid header for the same key.
    for (int i = 0; i < WriteKeyAuthenticator.MAX_REMEMBERED_HEADERS * 3; i++) {
      String header = "Basic " + Base64.getEncoder().encodeToString(("wk_web_1:" + i).getBytes(StandardCharsets.UTF_8));
      assertEquals("web", authenticator.requireSourceOfBasic(header));
      assertTrue(authenticator.rememberedHeaders() <= WriteKeyAuthenticator.MAX_REMEMBERED_HEADERS);
    }
    String tooLong = "Basic " + Base64.getEncoder().encodeToString(("wk_web_1:" + "p".repeat(600))
        .getBytes(StandardCharsets.UTF_8));
    WriteKeyAuthenticator fresh = new WriteKeyAuthenticator(SOURCES);
    assertEquals("web", fresh.requireSourceOfBasic(tooLong));
    assertEquals(0, fresh.rememberedHeaders());
  }

  @Test
  void reloadedSourcesForgetTheHeadersOfTheOldOnes() {
    WriteKeyAuthenticator before = new WriteKeyAuthenticator(SOURCES);
    assertEquals("web", before.requireSourceOfBasic(basic("wk_web_1")));
    WriteKeyAuthenticator after = new SourceTable(List.of(new SourceOptions("web", "wk_web_rotated"))).authenticator();
    assertThrows(IngestException.class, () -> after.requireSourceOfBasic(basic("wk_web_1")));
    assertEquals("web", after.requireSourceOfBasic(basic("wk_web_rotated")));
  }

  private static String basic(String key) {
    return "Basic " + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
  }
}
