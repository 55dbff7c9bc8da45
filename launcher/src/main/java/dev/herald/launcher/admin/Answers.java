package dev.herald.launcher.admin;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** How the admin API answers: JSON bodies, and errors as {@code {"success":false,"code","message"}}. */
final class Answers {

  private Answers() {}

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  static void error(RoutingContext ctx, int status, String code, String message) {
    json(ctx, status, new JsonObject().put("success", false).put("code", code).put("message", message));
  }

  static void unknownDestination(RoutingContext ctx, String id) {
    error(ctx, 404, "unknown_destination", "no destination with id '" + id + "'");
  }
}
