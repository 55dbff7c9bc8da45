package dev.herald.ingest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP/1.1 request written by hand on a socket, so a test controls exactly which bytes go
 * out and sees the answer as soon as the server sends it (Vert.x's client holds an early
 * response until its own request is complete).
 */
final class RawHttpExchange {

  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)");

  private final NetSocket socket;
  private final Buffer received = Buffer.buffer();
  private final Promise<String> response = Promise.promise();
  private final Promise<Void> closed = Promise.promise();

  private RawHttpExchange(NetSocket socket) {
    this.socket = socket;
    socket.closeHandler(v -> closed.tryComplete());
    socket.handler(data -> {
      received.appendBuffer(data);
      String text = received.toString(StandardCharsets.UTF_8);
      int headEnd = text.indexOf("\r\n\r\n");
      Matcher length = CONTENT_LENGTH.matcher(text);
      if (headEnd > 0 && length.find() && received.length() >= headEnd + 4 + Integer.parseInt(length.group(1))) {
        response.tryComplete(text);
      }
    });
  }

  static Future<RawHttpExchange> open(NetClient net, int port) {
    return net.connect(port, "127.0.0.1").map(RawHttpExchange::new);
  }

  Future<Void> write(String text) {
    return socket.write(text);
  }

  Future<Void> write(Buffer data) {
    return socket.write(data);
  }

  boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  /** The whole response (status line, headers, body) once it has arrived. */
  Future<String> response() {
    return response.future();
  }

  /** Everything the server sent, once it has closed the connection. */
  Future<String> receivedWhenClosed() {
    return closed.future().map(v -> received.toString(StandardCharsets.UTF_8));
  }

  /** Completes when the server closes the connection. */
  Future<Void> closed() {
    return closed.future();
  }

  Future<Void> close() {
    return socket.close();
  }

  static int status(String response) {
    return Integer.parseInt(response.substring(9, 12));
  }

  static JsonObject jsonBody(String response) {
    return new JsonObject(response.substring(response.indexOf("\r\n\r\n") + 4));
  }
}
