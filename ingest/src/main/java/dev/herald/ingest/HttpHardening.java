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
import java.util.List;
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
  private final String readTimeoutText;
  private final int maxInitialLineLength;
  private final int maxHeaderSize;

  HttpHardening(Vertx vertx, Duration requestReadTimeout, int maxInitialLineLength, int maxHeaderSize) {
    this.vertx = vertx;
    this.readTimeoutMillis = Math.max(1, requestReadTimeout.toMillis());
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

  /** Every connection: the request decoder that refuses smuggling, and quiet error logging. */
  Handler<HttpConnection> connections(io.vertx.core.http.HttpServerOptions options) {
    return connection -> {
      SmugglingGuardDecoder.install(connection, options);
      connection.exceptionHandler(this::connectionError);
    };
  }

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
   * its connection forever; this bounds the whole read instead.
   */
  private void boundReadTime(HttpServerRequest request) {
    if (request.isEnded()) {
      return;
    }
    long timer = vertx.setTimer(readTimeoutMillis, id -> {
      if (request.isEnded()) {
        return;
      }
      LOG.debug("Closing a request from {} not read within requestReadTimeout ({}): {} {}",
          request.remoteAddress(), readTimeoutText, request.method(), LogSafe.escape(request.path()));
      refuseAndClose(request, ErrorCode.REQUEST_TIMEOUT,
          "the request did not arrive completely within requestReadTimeout (" + readTimeoutText + ")");
    });
    request.end().onComplete(done -> vertx.cancelTimer(timer));
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
