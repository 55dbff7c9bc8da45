package dev.herald.launcher.admin;

import dev.herald.launcher.config.AdminConfig;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The bearer-token check in front of {@code /admin/*} and {@code /metrics}. Without a token the
 * admin API only runs on a loopback host ({@link #check} refuses anything else, as the config
 * loader does); with one, every request must carry {@code Authorization: Bearer <token>},
 * compared in constant time. The token never appears in an answer or a log line.
 */
final class AdminAuth implements Handler<RoutingContext> {

  private final byte[] expected;

  /** @param token null for no authentication */
  AdminAuth(String token) {
    this.expected = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  boolean enabled() {
    return expected != null;
  }

  /** Why the admin API must not start on {@code host} with this token, or null when it may. */
  String check(String host) {
    if (expected != null || AdminConfig.loopback(host)) return null;
    return "the admin API listens on '" + host + "', which is not a loopback address, and admin.token is not set";
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (expected == null) {
      ctx.next();
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
    // MessageDigest.isEqual's time depends on its first argument's length only, not on where they differ.
    if (MessageDigest.isEqual(expected, given)) {
      ctx.next();
      return;
    }
    ctx.response().setStatusCode(401)
        .putHeader("WWW-Authenticate", "Bearer realm=\"herald-admin\"")
        .putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("success", false).put("code", "unauthorized")
            .put("message", header == null ? "an Authorization: Bearer <admin token> header is required"
                : "the admin bearer token is not valid").encode());
  }
}
