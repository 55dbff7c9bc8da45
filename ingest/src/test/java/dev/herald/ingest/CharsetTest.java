package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Bodies are UTF-8: a declared charset other than UTF-8, or bytes that are not UTF-8, get 400. */
class CharsetTest extends IngestTestBase {

  private static final String EVENT = "{\"userId\":\"u\",\"event\":\"Café ☕ 𝄞\"}";

  @Test
  void utf8IsStoredExactly() throws Exception {
    for (String contentType : new String[] {"application/json; charset=utf-8", "text/plain;charset=\"UTF-8\"",
        "application/json;charset=utf8", "application/json"}) {
      HttpResponse<Buffer> response = post("/v1/track", Buffer.buffer(EVENT.getBytes(StandardCharsets.UTF_8)),
          headers(WEB_KEY, contentType));
      assertEquals(200, response.statusCode(), contentType + ": " + response.bodyAsString());
    }
    assertTrue(readLog().stream().allMatch(e -> e.event().payloadString("event").equals("Café ☕ 𝄞")));
  }

  @Test
  void anotherDeclaredCharsetIs400() throws Exception {
    for (String charset : new String[] {"iso-8859-1", "utf-16", "windows-1252"}) {
      JsonObject body = assertError(post("/v1/track", Buffer.buffer(EVENT.getBytes(StandardCharsets.UTF_8)),
          headers(WEB_KEY, "application/json; charset=" + charset)), 400, "invalid_charset");
      assertTrue(body.getString("message").contains(charset) && body.getString("message").contains("UTF-8"),
          body.getString("message"));
    }
    assertTrue(readLog().isEmpty());
  }

  @Test
  void latin1BytesAre400() throws Exception {
    JsonObject body = assertError(post("/v1/track", Buffer.buffer(EVENT.getBytes(StandardCharsets.ISO_8859_1)),
        headers(WEB_KEY, "application/json")), 400, "invalid_charset");
    assertTrue(body.getString("message").contains("offset " + EVENT.indexOf('é')), body.getString("message"));
    assertTrue(readLog().isEmpty());
  }

  @Test
  void utf16BodiesAre400EvenWithoutABom() throws Exception {
    assertError(post("/v1/track", Buffer.buffer(EVENT.getBytes(StandardCharsets.UTF_16LE)), headers(WEB_KEY, null)),
        400, "invalid_charset");
    assertError(post("/v1/track", Buffer.buffer(EVENT.getBytes(StandardCharsets.UTF_16)), headers(WEB_KEY, null)),
        400, "invalid_charset");
    assertTrue(readLog().isEmpty());
  }

  @Test
  void malformedSequencesInsideStringsAre400() throws Exception {
    byte[][] bodies = {
        withBytes(0xC0, 0xAF),             // overlong '/'
        withBytes(0xED, 0xA0, 0x80),       // an encoded surrogate
        withBytes(0xE2, 0x82),             // truncated sequence
        withBytes(0xF4, 0x90, 0x80, 0x80), // above U+10FFFF
        withBytes(0x80),                   // a lone continuation byte
    };
    for (byte[] body : bodies) {
      assertError(post("/v1/track", Buffer.buffer(body), headers(WEB_KEY, null)), 400, "invalid_charset");
    }
    assertTrue(readLog().isEmpty());
  }

  @Test
  void invalidUtf8InsideGzipAndInBatchesIs400() throws Exception {
    MultiMap gzipHeaders = headers(WEB_KEY, "application/json").add("Content-Encoding", "gzip");
    assertError(post("/v1/track", Buffer.buffer(gzip(withBytes(0xFF))), gzipHeaders), 400, "invalid_charset");
    byte[] batch = ("{\"batch\":[{\"type\":\"track\",\"userId\":\"u\",\"event\":\"\u0000\"}]}")
        .getBytes(StandardCharsets.ISO_8859_1);
    batch[batch.length - 5] = (byte) 0xE9;
    assertError(post("/v1/batch", Buffer.buffer(batch), headers(WEB_KEY, null)), 400, "invalid_charset");
    assertTrue(readLog().isEmpty());
  }

  @Test
  void validatorAgreesWithTheJdkDecoder() {
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = new byte[random.nextInt(12)];
      random.nextBytes(bytes);
      boolean jdkValid;
      try {
        StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
        jdkValid = true;
      } catch (java.nio.charset.CharacterCodingException e) {
        jdkValid = false;
      }
      assertEquals(jdkValid, Utf8.firstInvalidByte(bytes, bytes.length) < 0, () -> java.util.HexFormat.of().formatHex(bytes));
    }
  }

  /** A track event whose event name holds the given raw bytes. */
  private static byte[] withBytes(int... raw) {
    byte[] head = "{\"userId\":\"u\",\"event\":\"x".getBytes(StandardCharsets.UTF_8);
    byte[] tail = "\"}".getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[head.length + raw.length + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    for (int i = 0; i < raw.length; i++) {
      body[head.length + i] = (byte) raw[i];
    }
    System.arraycopy(tail, 0, body, head.length + raw.length, tail.length);
    return body;
  }
}
