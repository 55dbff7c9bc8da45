package dev.herald.launcher.admin;

import static dev.herald.launcher.admin.Answers.error;
import static dev.herald.launcher.admin.Answers.json;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /admin/trace/{messageId}}: where one event is. 200 with when and where it was accepted
 * and each destination's word on it (filtered, pending, delivered, dead_lettered, or unknown when
 * older than that destination's trace window); 404 when nothing remembers the messageId.
 */
public final class TraceRoute {

  private TraceRoute() {}

  public static void mount(Router router, AdminBackend backend) {
    router.get("/admin/trace/:messageId").handler(ctx -> trace(ctx, backend));
  }

  private static void trace(RoutingContext ctx, AdminBackend backend) {
    TraceBook book = backend.traceBook();
    String messageId = ctx.pathParam("messageId");
    if (book == null) {
      error(ctx, 503, "trace_unavailable", "this Herald keeps no trace");
      return;
    }
    if (messageId == null || messageId.isBlank() || messageId.length() > 1000) {
      error(ctx, 400, "bad_request", "give a messageId of 1 to 1000 characters");
      return;
    }
    backend.destinations().onSuccess(all -> {
      List<String> ids = new ArrayList<>();
      for (Object d : all) ids.add(((JsonObject) d).getString("id"));
      JsonObject answer = book.trace(messageId, ids);
      if (answer == null) {
        error(ctx, 404, "not_found", "no event '" + clip(messageId) + "' in the trace window (the last "
            + book.window() + " events per destination): it was never accepted, is not read yet, or is older");
      } else {
        json(ctx, 200, answer);
      }
    }).onFailure(ctx::fail);
  }

  private static String clip(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100) + "…";
  }
}
