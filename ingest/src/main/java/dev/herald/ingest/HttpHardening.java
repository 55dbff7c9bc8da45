package dev.herald.ingest;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens before a request reaches the routes: an HTTP/1.1 request needs exactly one
 * {@code Host}; a request must arrive completely within {@code requestReadTimeout}; requests
 * the HTTP decoder cannot read get the same JSON error body as every other error, and their
 * connection is closed. All of it is the client's doing, so it is logged at DEBUG, escaped.
 */
final class HttpHardening {

  private static final Logger LOG = LoggerFactory.getLogger(HttpHardening.class);

  private final Vertx vertx;
  private final long readTimeoutMillis;
  private final long readTimeoutNanos;
  /** Requests still being read, oldest first, with the time each must be read by. */
  private final Map<HttpServerRequest, Long> reading = new LinkedHashMap<>();
  private final Map<HttpConnection, Waiting> connections = new HashMap<>();
  private long sweepTimer = -1;
  private final String readTimeoutText;
  private final int maxInitialLineLength;
  private final int maxHeaderSize;

  HttpHardening(Vertx vertx, Duration requestReadTimeout, int maxInitialLineLength, int maxHeaderSize) {
    this.vertx = vertx;
    this.readTimeoutMillis = Math.max(1, requestReadTimeout.toMillis());
    this.readTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(readTimeoutMillis);
    this.readTimeoutText = requestReadTimeout.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    this.maxInitialLineLength = maxInitialLineLength;
    this.maxHeaderSize = maxHeaderSize;
  }

  /** {@code next} behind the Host check and the read bound. */
  Handler<HttpServerRequest> guard(Handler<HttpServerRequest> next) {
    return request -> {
      String hostProblem = hostProblem(request);
      if (hostProblem != null) {
        LOG.debug("Refused a request from {}: {} ({} {})", request.remoteAddress(), hostProblem,
            request.method(), LogSafe.escape(request.uri()));
        refuseAndClose(request, ErrorCode.BAD_REQUEST, hostProblem);
        return;
      }
      HttpConnection connection = request.connection();
      if (connections.containsKey(connection)) {
        connections.put(connection, new Waiting(request, BUSY));
      }
      boundReadTime(request);
      next.handle(request);
    };
  }

  /** The invalid-request handler: what the HTTP decoder refused, answered as JSON, then closed. */
  void invalid(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    ErrorCode code;
    String message;
    if (cause instanceof TooLongHttpLineException) {
      code = ErrorCode.URI_TOO_LONG;
      message = "the request line is longer than " + maxInitialLineLength + " bytes";
    } else if (cause instanceof TooLongHttpHeaderException) {
      code = ErrorCode.HEADERS_TOO_LARGE;
      message = "the request headers are larger than " + maxHeaderSize + " bytes";
    } else if (cause instanceof SmugglingGuardDecoder.Refused) {
      code = ErrorCode.BAD_REQUEST;
      message = SmugglingGuardDecoder.MESSAGE;
    } else {
      code = ErrorCode.BAD_REQUEST;
      message = "the HTTP request is malformed";
    }
    LOG.debug("Refused a malformed request from {}: {}", request.remoteAddress(),
        LogSafe.escape(cause == null ? "unknown" : cause.toString()));
    refuseAndClose(request, code, message);
  }

  /** Socket and connection errors (resets, TLS handshakes that fail): the client's, not Herald's. */
  void connectionError(Throwable error) {
    LOG.debug("Connection error: {}", LogSafe.escape(error.toString()));
  }

  /**
   * Every connection: the request decoder that refuses smuggling, quiet error logging, and for
   * HTTP/1.x the wait for each request head bounded like the request itself.
   */
  Handler<HttpConnection> connections(io.vertx.core.http.HttpServerOptions options) {
    return connection -> {
      boolean http1 = SmugglingGuardDecoder.install(connection, options);
      connection.exceptionHandler(this::connectionError);
      if (http1) {
        connections.put(connection, new Waiting(null, System.nanoTime()));
        connection.closeHandler(v -> connections.remove(connection));
      }
    };
  }

  /**
   * An HTTP/1.x connection's last request, and since when it has waited for the next one (or
   * {@link #BUSY} while a request is read or answered). The time a head takes to arrive cannot
   * be told from idle time above the decoder, so both are bounded by requestReadTimeout: a head
   * trickled a byte at a time cannot hold a connection for hours, and an idle keep-alive
   * connection is closed (without an answer) after requestReadTimeout rather than the idle timeout.
   */
  private record Waiting(HttpServerRequest last, long since) {}

  private static final long BUSY = Long.MIN_VALUE;

  /** RFC 9112 §3.2: 400 for an HTTP/1.1 request without a Host, or for more than one. */
  private static String hostProblem(HttpServerRequest request) {
    if (request.version() != HttpVersion.HTTP_1_1) {
      return null;
    }
    List<String> hosts = request.headers().getAll(HttpHeaders.HOST);
    if (hosts.isEmpty()) {
      return "an HTTP/1.1 request needs a Host header";
    }
    return hosts.size() > 1 ? "a request must not carry more than one Host header" : null;
  }

  /**
   * The idle timeout restarts with every byte, so a body trickled a byte at a time would hold
   * its connection forever; this bounds the whole read instead. Requests being read are kept in
   * arrival order and swept from the oldest (cheaper than a timer per request).
   */
  private void boundReadTime(HttpServerRequest request) {
    if (request.isEnded()) {
      return;
    }
    reading.put(request, System.nanoTime() + readTimeoutNanos);
    request.end().onComplete(done -> reading.remove(request));
  }

  /** Starts the sweep; call on the context that serves the requests. */
  void start() {
    long every = Math.max(10, Math.min(1000, readTimeoutMillis / 4));
    sweepTimer = vertx.setPeriodic(every, id -> sweep());
  }

  void stop() {
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
  }

  private void sweep() {
    long now = System.nanoTime();
    sweepConnections(now);
    Iterator<Map.Entry<HttpServerRequest, Long>> oldest = reading.entrySet().iterator();
    while (oldest.hasNext()) {
      Map.Entry<HttpServerRequest, Long> entry = oldest.next();
      if (entry.getValue() - now > 0) {
        return;
      }
      oldest.remove();
      HttpServerRequest request = entry.getKey();
      if (!request.isEnded()) {
        LOG.debug("Closing a request from {} not read within requestReadTimeout ({}): {} {}",
            request.remoteAddress(), readTimeoutText, request.method(), LogSafe.escape(request.path()));
        refuseAndClose(request, ErrorCode.REQUEST_TIMEOUT,
            "the request did not arrive completely within requestReadTimeout (" + readTimeoutText + ")");
      }
    }
  }

  private void sweepConnections(long now) {
    Iterator<Map.Entry<HttpConnection, Waiting>> all = connections.entrySet().iterator();
    while (all.hasNext()) {
      Map.Entry<HttpConnection, Waiting> entry = all.next();
      Waiting waiting = entry.getValue();
      if (waiting.since() == BUSY) {
        if (waiting.last().response().ended()) {
          entry.setValue(new Waiting(waiting.last(), now));
        }
      } else if (now - waiting.since() > readTimeoutNanos) {
        all.remove();
        LOG.debug("Closing a connection from {}: no complete request head within requestReadTimeout ({})",
            entry.getKey().remoteAddress(), readTimeoutText);
        entry.getKey().close();
      }
    }
  }

  private static void refuseAndClose(HttpServerRequest request, ErrorCode code, String message) {
    HttpServerResponse response = request.response();
    HttpConnection connection = request.connection();
    if (response.ended() || response.headWritten()) {
      connection.close();
      return;
    }
    if (request.version() == HttpVersion.HTTP_2) {
      // One stream of a shared connection: end it, leave the others.
      IngestResponses.error(response, code, message);
      if (!request.isEnded()) {
        response.reset();
      }
      return;
    }
    response.putHeader(HttpHeaders.CONNECTION, "close");
    IngestResponses.error(response, code, message);
    connection.close();
  }
}
