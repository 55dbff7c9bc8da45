package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a hostile client can do below the routes: missing or doubled Host, Content-Length with
 * Transfer-Encoding, a trickled body, malformed framing, control characters. Each gets a JSON
 * error, and none makes Herald log an error, a stack trace or a raw control character.
 */
class HttpLayerTest extends IngestTestBase {

  private static final String TRACK = "{\"userId\":\"u-1\",\"event\":\"Smuggled\"}";
  private NetClient net;
  private CapturedLogs logs;

  @Override
  IngestOptions options() {
    return super.options().withServer(ServerOptions.DEFAULTS.withRequestReadTimeout(Duration.ofSeconds(3)));
  }

  @BeforeEach
  void openClientAndLogs() {
    net = vertx.createNetClient();
    logs = new CapturedLogs();
  }

  @AfterEach
  void closeClientAndCheckLogs() throws Exception {
    await(net.close());
    logs.close();
    assertEquals(List.of(), logs.errorsOrStackTraces(), "client input must not log errors or stack traces");
    assertEquals(List.of(), logs.linesWithControlCharacters(), "client input must be escaped in the log");
  }

  /** Sends raw bytes and returns everything the server answered before it closed. */
  private String exchange(String request) throws Exception {
    RawHttpExchange exchange = await(RawHttpExchange.open(net, port));
    await(exchange.write(request));
    return await(exchange.receivedWhenClosed());
  }

  /** Sends raw bytes and returns the first complete answer (the connection may stay open). */
  private String firstAnswer(String request) throws Exception {
    RawHttpExchange exchange = await(RawHttpExchange.open(net, port));
    await(exchange.write(request));
    String response = await(exchange.response());
    await(exchange.close());
    return response;
  }

  private static JsonObject assertJsonError(String response, int status, String code) {
    assertTrue(response.matches("(?s)HTTP/1\\.[01] " + status + " .*"), response);
    assertTrue(response.toLowerCase().contains("content-type: application/json"), response);
    JsonObject body = RawHttpExchange.jsonBody(response);
    assertEquals(false, body.getBoolean("success"), response);
    assertEquals(code, body.getString("code"), response);
    assertFalse(body.getString("message").isBlank(), response);
    return body;
  }

  private String trackRequest(String headers) {
    return "POST /v1/track HTTP/1.1\r\n" + headers + "Content-Type: application/json\r\nAuthorization: "
        + basic(WEB_KEY) + "\r\nContent-Length: " + TRACK.length() + "\r\n\r\n" + TRACK;
  }

  @Test
  void anHttp11RequestWithoutHostIsABadRequestNotAServerError() throws Exception {
    JsonObject ping = assertJsonError(firstAnswer("GET /v1/ping HTTP/1.1\r\n\r\n"), 400, "bad_request");
    assertTrue(ping.getString("message").contains("Host"), ping.encode());
    assertJsonError(firstAnswer(trackRequest("")), 400, "bad_request");
    assertTrue(readLog().isEmpty());
    // HTTP/1.0 has no Host requirement.
    String http10 = exchange("GET /v1/ping HTTP/1.0\r\n\r\n");
    assertTrue(http10.startsWith("HTTP/1.0 204"), http10);
  }

  @Test
  void twoHostHeadersAreABadRequest() throws Exception {
    assertJsonError(firstAnswer("GET /v1/ping HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n"),
        400, "bad_request");
    assertJsonError(firstAnswer(trackRequest("Host: a.example\r\nHost: b.example\r\n")), 400, "bad_request");
    assertTrue(readLog().isEmpty());
  }

  @Test
  void contentLengthWithTransferEncodingIsRefusedAndTheConnectionClosed() throws Exception {
    String chunked = Integer.toHexString(TRACK.length()) + "\r\n" + TRACK + "\r\n0\r\n\r\n";
    // A proxy reading Content-Length would see one request; chunked framing leaves a second one behind.
    String smuggled = "GET /v1/ping HTTP/1.1\r\nHost: h\r\n\r\n";
    String response = exchange("POST /v1/track HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
        + "Authorization: " + basic(WEB_KEY) + "\r\nContent-Length: " + (chunked.length() + smuggled.length())
        + "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked + smuggled);

    assertJsonError(response, 400, "bad_request");
    assertFalse(response.contains("204"), "the bytes after the body must not be served: " + response);
    assertTrue(readLog().isEmpty());
  }

  @Test
  void aBodyTrickledPastTheRequestReadTimeoutIsAnswered408AndClosed() throws Exception {
    RawHttpExchange exchange = await(RawHttpExchange.open(net, port));
    await(exchange.write("POST /v1/track HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nAuthorization: "
        + basic(WEB_KEY) + "\r\nContent-Length: 1000\r\n\r\n{"));
    AtomicInteger sent = new AtomicInteger();
    // One byte every 200 ms keeps the connection from ever being idle for long.
    long timer = vertx.setPeriodic(200, id -> {
      if (!exchange.closed().isComplete()) {
        exchange.write(" ");
        sent.incrementAndGet();
      }
    });
    String response = await(exchange.receivedWhenClosed());
    vertx.cancelTimer(timer);

    JsonObject body = assertJsonError(response, 408, "request_timeout");
    assertTrue(body.getString("message").contains("requestReadTimeout"), body.encode());
    assertTrue(sent.get() >= 5, "the client kept sending until the bound: " + sent.get());
    assertTrue(readLog().isEmpty());
  }

  @Test
  void aTrickledHeadAndAnIdleKeepAliveConnectionAreClosedWithoutAnAnswer() throws Exception {
    RawHttpExchange idle = await(RawHttpExchange.open(net, port));
    await(idle.write(trackRequest("Host: h\r\n")));
    String answered = await(idle.response());
    assertTrue(answered.startsWith("HTTP/1.1 200"), answered);
    RawHttpExchange trickled = await(RawHttpExchange.open(net, port));
    await(trickled.write("POST /v1/track HTTP/1.1\r\nHost: h\r\nX-Slow: "));
    AtomicInteger sent = new AtomicInteger();
    long timer = vertx.setPeriodic(200, id -> {
      if (!trickled.closed().isComplete()) {
        trickled.write("a");
        sent.incrementAndGet();
      }
    });

    String trickledAnswer = await(trickled.receivedWhenClosed());
    vertx.cancelTimer(timer);
    assertEquals("", trickledAnswer, "no request arrived, so there is nothing to answer");
    assertTrue(sent.get() >= 5, "the client kept sending until the bound: " + sent.get());
    assertEquals(answered, await(idle.receivedWhenClosed()), "the idle connection is closed without a word");
    assertEquals(1, readLog().size());
  }

  @Test
  void errorsOfTheHttpLayerAnswerTheJsonErrorBody() throws Exception {
    assertJsonError(exchange("GET /v1/ping?q=" + "a".repeat(5000) + " HTTP/1.1\r\nHost: h\r\n\r\n"),
        414, "uri_too_long");
    assertJsonError(exchange("GET /v1/ping HTTP/1.1\r\nHost: h\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n"),
        431, "headers_too_large");
    assertJsonError(exchange("GET /v1/ping NOT-HTTP\r\nHost: h\r\n\r\n"), 400, "bad_request");
    assertJsonError(exchange("POST /v1/track HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nAuthorization: "
        + basic(WEB_KEY) + "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"), 400, "bad_request");
    assertTrue(readLog().isEmpty());
  }

  @Test
  void controlCharactersFromTheRequestNeverReachTheLogRaw() throws Exception {
    String esc = "\u001b[2J\u001b[31m";
    firstAnswer("GET /v1/" + esc + "ping HTTP/1.1\r\n\r\n");
    firstAnswer("POST /v1/" + esc + " HTTP/1.1\r\nHost: h\r\nHost: " + esc + "\r\n\r\n");
    exchange("POST /v1/track" + esc + " HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz" + esc + "\r\n");
    exchange("POST /v1/topics/" + esc + " HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
        + "Authorization: " + basic(WEB_KEY) + "\r\n\r\n5\r\n{\"a\":\r\nq\r\n");
    // The checks run after the test: no raw control character, no error, no stack trace.
  }
}
