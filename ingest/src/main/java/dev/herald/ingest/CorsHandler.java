package dev.herald.ingest;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * CORS for the browser origins in {@code server.corsOrigins}. Browsers send a preflight
 * {@code OPTIONS} before each POST that carries an {@code Authorization} header or a custom one:
 * analytics-next asks for {@code authorization, content-type} (and {@code x-retry-count} on
 * retries), RudderStack's v3 SDK also for {@code anonymousid, sentat} and its {@code rsa-*} retry
 * headers. An allowed origin gets 204 echoing the requested headers that are in
 * {@link #ALLOWED_HEADERS} (a header outside it is left out, so the browser refuses that request);
 * any other origin gets 403. Every answer to an allowed origin, errors included, carries
 * {@code Access-Control-Allow-Origin}, so the browser shows the status to the script instead of
 * a network error.
 */
final class CorsHandler implements PlatformHandler {

  /** Request headers a page may send, lower case: what Segment's and RudderStack's browser SDKs use. */
  static final Set<String> ALLOWED_HEADERS = Set.of("authorization", "content-type", "content-encoding",
      "x-retry-count", "idempotency-key", "accept", "accept-language", "content-language",
      "anonymousid", "sentat", "rsa-retry-attempt", "rsa-since-last-attempt", "rsa-since-first-attempt",
      "rsa-retry-reason", "rsa-recovered");
  /** Answered when a preflight names no headers. */
  static final String DEFAULT_ALLOWED_HEADERS = "authorization, content-type, content-encoding, x-retry-count, idempotency-key";
  /** At most this many requested headers are read from one preflight. */
  private static final int MAX_REQUESTED_HEADERS = 64;
  static final String ALLOWED_METHODS = "POST, GET, OPTIONS";
  static final String MAX_AGE_SECONDS = "7200";

  private final boolean anyOrigin;
  private final Set<String> origins;

  CorsHandler(List<String> origins) {
    this.anyOrigin = origins.contains("*");
    this.origins = Set.copyOf(origins);
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    boolean preflight = request.method() == HttpMethod.OPTIONS
        && request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null;
    if (origin == null) {
      if (preflight) {
        IngestResponses.error(ctx.response(), ErrorCode.ORIGIN_NOT_ALLOWED, "a CORS preflight needs an Origin header");
        return;
      }
      ctx.next();
      return;
    }
    boolean allowed = anyOrigin || origins.contains(origin.toLowerCase(Locale.ROOT));
    HttpServerResponse response = ctx.response();
    if (allowed) {
      response.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
          .putHeader(HttpHeaders.VARY, "Origin");
    }
    if (!preflight) {
      if (allowed) {
        response.putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, "Retry-After");
      }
      ctx.next();
      return;
    }
    if (!allowed) {
      IngestResponses.error(response, ErrorCode.ORIGIN_NOT_ALLOWED, "origin '" + BodyDecoder.clip(origin)
          + "' is not in server.corsOrigins");
      return;
    }
    response.setStatusCode(204)
        .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS)
        .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS,
            allowedOf(request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS)))
        .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS)
        .putHeader(HttpHeaders.VARY, "Origin, Access-Control-Request-Headers")
        .end();
  }

  /** The requested headers that are allowed, in the order asked, lower case. */
  static String allowedOf(String requested) {
    if (requested == null || requested.isBlank()) {
      return DEFAULT_ALLOWED_HEADERS;
    }
    Set<String> kept = new LinkedHashSet<>();
    String[] names = requested.split(",", MAX_REQUESTED_HEADERS + 1);
    for (int i = 0; i < Math.min(names.length, MAX_REQUESTED_HEADERS); i++) {
      String name = names[i].trim().toLowerCase(Locale.ROOT);
      if (ALLOWED_HEADERS.contains(name)) {
        kept.add(name);
      }
    }
    return String.join(", ", kept);
  }
}
