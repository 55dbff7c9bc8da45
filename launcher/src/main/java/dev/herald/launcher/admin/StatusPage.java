package dev.herald.launcher.admin;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * {@code GET /}: the status page for people, plain HTML, CSS and JavaScript shipped in the JAR
 * under {@code admin-ui/}. The page holds no data: it reads the admin API (with the token the
 * person types, kept for the tab only) like any other client. Also {@code GET /admin/ingest}: the
 * events accepted and rejected per source, which the page turns into rates.
 */
public final class StatusPage {

  private StatusPage() {}

  public static void mount(Router router, AdminBackend backend) {
    router.get("/admin/ingest").handler(ctx -> Answers.json(ctx, 200, backend.ingest()));
    router.get("/").handler(ctx -> ctx.reroute("/ui/index.html"));
    router.get("/ui/*").handler(StaticHandler.create("admin-ui").setCachingEnabled(false)
        .setDirectoryListing(false).setIncludeHidden(false));
  }
}
