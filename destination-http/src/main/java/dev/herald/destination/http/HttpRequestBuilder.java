package dev.herald.destination.http;

import dev.herald.destination.api.Event;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Encodes a batch into a request body and prepares the request: method, URL, headers, auth, timeouts. */
final class HttpRequestBuilder {

  private final HttpSinkConfig config;
  private final String authorization;
  private volatile Template template;

  HttpRequestBuilder(HttpSinkConfig config) {
    this.config = config;
    this.authorization = authorization(config);
  }

  /**
   * The body for {@code batch}. Payloads are copied byte for byte, never parsed and
   * re-encoded: the stored JSON is already what the destination should receive.
   */
  Buffer body(List<Event> batch) {
    return switch (config.bodyMode()) {
      case ARRAY -> {
        Buffer body = Buffer.buffer(encodedSize(batch) + 2).appendByte((byte) '[');
        for (int i = 0; i < batch.size(); i++) {
          if (i > 0) body.appendByte((byte) ',');
          body.appendBuffer(batch.get(i).payloadBytes());
        }
        yield body.appendByte((byte) ']');
      }
      case NDJSON -> {
        Buffer body = Buffer.buffer(encodedSize(batch));
        for (Event event : batch) body.appendBuffer(event.payloadBytes()).appendByte((byte) '\n');
        yield body;
      }
      case SINGLE -> {
        if (batch.size() != 1) throw new IllegalArgumentException("single mode sends one event per request, got " + batch.size());
        yield batch.get(0).payloadBytes();
      }
    };
  }

  /**
   * A request ready to send. {@code idempotencyKey} (the event's messageId in single mode,
   * else null) lets the receiver drop a re-delivery.
   */
  HttpRequest<Buffer> request(WebClient client, String idempotencyKey) {
    Template t = template;
    if (t == null || t.client != client) {
      t = new Template(client, prepared(client));
      template = t;
    }
    // A copy of what every request shares: the endpoint is parsed and the headers put once, not per request.
    HttpRequest<Buffer> request = t.request.copy();
    if (idempotencyKey != null) request.putHeader("Idempotency-Key", idempotencyKey);
    return request;
  }

  private HttpRequest<Buffer> prepared(WebClient client) {
    HttpRequest<Buffer> request = client.requestAbs(config.method(), config.endpoint())
        .connectTimeout(config.timeoutMs())
        .idleTimeout(config.timeoutMs())
        .putHeader(HttpHeaders.CONTENT_TYPE.toString(), config.bodyMode().contentType());
    // Configured headers come last so an operator may override Content-Type.
    config.headers().forEach(request::putHeader);
    if (authorization != null) request.putHeader(HttpHeaders.AUTHORIZATION.toString(), authorization);
    return request;
  }

  /** The request every send copies, for the client it was made with; never sent or changed itself. */
  private record Template(WebClient client, HttpRequest<Buffer> request) {}

  private static int encodedSize(List<Event> batch) {
    long size = 0;
    for (Event event : batch) size += event.payloadBytes().length() + 1;
    return (int) Math.min(size, Integer.MAX_VALUE - 8);
  }

  private static String authorization(HttpSinkConfig config) {
    if (config.bearerToken() != null) return "Bearer " + config.bearerToken();
    if (config.basicUser() != null) {
      String pair = config.basicUser() + ":" + (config.basicPassword() == null ? "" : config.basicPassword());
      return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
    return null;
  }
}
