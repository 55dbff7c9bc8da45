package dev.herald.launcher.admin;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * {@code GET /}: the status page for people, plain HTML, CSS and JavaScript shipped in the JAR
 * under {@code admin-ui/}. The page holds no data: it reads the admin API (with the token the
 * person types, kept for the tab only) like any other client. Also {@code GET /admin/ingest}: the
 * events accepted and rejected per source; {@code GET /admin/rates}: the per-second rates of the
 * last minutes that the page charts (see {@link RateHistory}).
 */
public final class StatusPage {

  private StatusPage() {}

  public static void mount(Router router, Vertx vertx, AdminBackend backend) {
    RateHistory rates = RateHistory.start(vertx, backend);
    router.get("/admin/ingest").handler(ctx -> Answers.json(ctx, 200, backend.ingest()));
    router.get("/admin/rates").handler(ctx -> Answers.json(ctx, 200, rates.toJson()));
    router.get("/").handler(ctx -> ctx.reroute("/ui/index.html"));
    router.get("/ui/*").handler(StaticHandler.create("admin-ui").setCachingEnabled(false)
        .setDirectoryListing(false).setIncludeHidden(false));
  }
}
