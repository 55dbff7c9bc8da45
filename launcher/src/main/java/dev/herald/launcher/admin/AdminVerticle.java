package dev.herald.launcher.admin;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API: health probes (open, for orchestrators), {@code /metrics} (Prometheus text) and
 * {@code /admin/*}, the last two behind {@link AdminAuth}'s bearer token when one is configured.
 */
public class AdminVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AdminVerticle.class);

  private final String host;
  private final int port;
  private final AdminAuth auth;
  private final AdminBackend backend;
  private HttpServer server;

  /** @param token null for no authentication */
  public AdminVerticle(String host, int port, String token, AdminBackend backend) {
    this.host = host;
    this.port = port;
    this.auth = new AdminAuth(token);
    this.backend = backend;
  }

  /** The port actually bound (useful with port 0). */
  public int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    String refused = auth.check(host);
    if (refused != null) return Future.failedFuture(new IllegalStateException(refused));
    Router router = Router.router(vertx);
    router.get("/health/live").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(ctx -> {
      boolean ready = backend.ready();
      json(ctx, ready ? 200 : 503, new JsonObject().put("status", ready ? "UP" : "DOWN"));
    });
    router.route("/admin/*").handler(auth);
    router.route("/metrics").handler(auth);
    if (backend.meterRegistry() != null) router.get("/metrics").handler(PrometheusScrapingHandler.create(backend.meterRegistry()));
    router.get("/admin/plugins").handler(ctx -> backend.plugins()
        .onSuccess(list -> json(ctx, 200, new JsonObject().put("plugins", list)))
        .onFailure(ctx::fail));
    router.get("/admin/destinations").handler(ctx -> backend.destinations()
        .onSuccess(list -> json(ctx, 200, new JsonObject().put("destinations", list)))
        .onFailure(ctx::fail));
    DestinationActions.mount(router, backend.operations());
    DeadLetterRoutes.mount(router, backend.operations());
    TraceRoute.mount(router, backend);
    TapRoute.mount(router, vertx, backend);
    StatusPage.mount(router, vertx, backend);
    ReloadRoute.mount(router, backend::reload);
    router.route().last().handler(ctx -> error(ctx, 404, "not_found", "no such route: " + ctx.request().method() + " " + ctx.request().path()));
    router.route().failureHandler(ctx -> {
      if (ctx.statusCode() > 0 && ctx.statusCode() < 500) {
        error(ctx, ctx.statusCode(), "bad_request", "request failed");
      } else {
        LOG.error("Admin request {} failed", ctx.request().path(), ctx.failure());
        error(ctx, 500, "internal_error", "internal error; see Herald's log");
      }
    });
    return vertx.createHttpServer().requestHandler(router).listen(port, host).onSuccess(s -> {
      server = s;
      LOG.info("Admin API listening on {}:{}", host, s.actualPort());
      if (!auth.enabled()) {
        LOG.warn("The admin API has no token: anyone on this machine can use it (set admin.token to require one)");
      }
    });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  private static void error(RoutingContext ctx, int status, String code, String message) {
    json(ctx, status, new JsonObject().put("success", false).put("code", code).put("message", message));
  }
}
