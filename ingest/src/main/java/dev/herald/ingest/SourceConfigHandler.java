package dev.herald.ingest;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /sourceConfig}: the part of RudderStack's control plane its v3 browser SDK
 * ({@code @rudderstack/analytics-js}) needs before it sends anything. The SDK fetches
 * {@code <configUrl>/sourceConfig/?p=…&v=…&writeKey=…} with the key as HTTP Basic user and starts
 * only on a valid answer; Herald answers the key's source, enabled, with no device-mode
 * destinations (every destination runs in Herald). The key is taken from Basic auth only, as
 * the control plane does, so it stays out of URLs and access logs.
 */
final class SourceConfigHandler implements Handler<RoutingContext> {

  private final IngestState state;

  SourceConfigHandler(IngestState state) {
    this.state = state;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String key = WriteKeyAuthenticator.basicUser(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (key == null) {
      throw new IngestException(ErrorCode.INVALID_WRITE_KEY,
          "no write key: send it as the HTTP Basic user name with an empty password");
    }
    String sourceId = state.sources().authenticator().requireSource(key);
    JsonObject source = new JsonObject()
        .put("id", sourceId)
        .put("name", sourceId)
        .put("enabled", true)
        .put("config", new JsonObject())
        .put("destinations", new JsonArray());
    ctx.response()
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader(HttpHeaders.CONTENT_TYPE, IngestResponses.JSON)
        .end(new JsonObject().put("source", source).toBuffer());
  }
}
