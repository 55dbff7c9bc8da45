package dev.herald.ingest;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * CORS for the browser origins in {@code server.corsOrigins}. Browsers send a preflight
 * {@code OPTIONS} before each POST that carries an {@code Authorization} header (as Segment's
 * analytics.js does), asking for {@code authorization, content-type} and, on retries,
 * {@code x-retry-count}: an allowed origin gets 204 with those allowed, any other 403. Every
 * answer to an allowed origin, errors included, carries {@code Access-Control-Allow-Origin}, so
 * the browser shows the status to the script instead of a network error.
 */
final class CorsHandler implements PlatformHandler {

  static final String ALLOWED_HEADERS = "authorization, content-type, content-encoding, x-retry-count, idempotency-key";
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
        .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS)
        .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, MAX_AGE_SECONDS)
        .end();
  }
}
