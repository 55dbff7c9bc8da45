package dev.herald.launcher.admin;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.function.Supplier;

/** {@code POST /admin/reload}: re-reads the config and applies it (see the backend's {@code reload}). */
public final class ReloadRoute {

  /** A reload's HTTP status and JSON answer. */
  public record Outcome(int status, JsonObject body) {}

  private ReloadRoute() {}

  static void mount(Router router, Supplier<Future<Outcome>> reload) {
    router.post("/admin/reload").handler(ctx -> reload.get()
        .onSuccess(outcome -> Answers.json(ctx, outcome.status(), outcome.body()))
        .onFailure(ctx::fail));
  }
}
