package dev.herald.launcher.admin;

import static dev.herald.launcher.admin.Answers.json;
import static dev.herald.launcher.admin.Answers.unknownDestination;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /admin/destinations/{id}/pause} and {@code …/resume}: safe to repeat, each answers the
 * destination's state once the change is in effect and recorded beside its cursor.
 */
final class DestinationActions {

  private DestinationActions() {}

  static void mount(Router router, DestinationOperations ops) {
    router.post("/admin/destinations/:id/pause").handler(ctx -> act(ctx, ops, true));
    router.post("/admin/destinations/:id/resume").handler(ctx -> act(ctx, ops, false));
  }

  private static void act(RoutingContext ctx, DestinationOperations ops, boolean pause) {
    String id = ctx.pathParam("id");
    (pause ? ops.pause(id) : ops.resume(id)).onSuccess(status -> {
      if (status.isEmpty()) {
        unknownDestination(ctx, id);
      } else {
        json(ctx, 200, new JsonObject().put("destination", id).put("paused", pause)
            .put("state", status.get().state().name()));
      }
    }).onFailure(ctx::fail);
  }
}
