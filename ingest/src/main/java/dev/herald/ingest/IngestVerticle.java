package dev.herald.ingest;

import dev.herald.bus.log.EventLog;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Objects;

/**
 * The Segment-compatible tracking API. Stateless per request, so the launcher deploys one
 * instance per core (all sharing the port and the one {@link EventLog}):
 * <pre>{@code
 * vertx.deployVerticle(() -> new IngestVerticle(options, log), new DeploymentOptions().setInstances(cores));
 * }</pre>
 * After each durable append it publishes the request's accepted payloads, as one
 * {@code JsonArray}, to {@link #ACCEPTED_ADDRESS} on the local event bus (the live tap).
 */
public final class IngestVerticle extends VerticleBase {

  /** Local event-bus address of accepted events: one JsonArray of payloads per request. */
  public static final String ACCEPTED_ADDRESS = "herald.ingest.accepted";

  /** The single-event routes and the type each sets on its event. */
  static final List<String> SINGLE_EVENT_TYPES = List.of("track", "identify", "page", "screen", "group", "alias");
  static final List<String> BATCH_PATHS = List.of("/v1/batch", "/v1/batch/", "/v1/import", "/v1/import/");

  static final int IDLE_TIMEOUT_SECONDS = 60;

  private final IngestOptions options;
  private final EventLog log;
  private HttpServer server;

  public IngestVerticle(IngestOptions options, EventLog log) {
    this.options = Objects.requireNonNull(options, "options");
    this.log = Objects.requireNonNull(log, "log");
  }

  @Override
  public Future<?> start() {
    Router router = router(new IngestHandler(vertx, options, log));
    server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(options.host())
        .setPort(options.port())
        // Herald inflates gzip itself, bounded by maxRequestBytes.
        .setDecompressionSupported(false)
        // Sheds connections that stall mid-request instead of holding them forever.
        .setIdleTimeout(IDLE_TIMEOUT_SECONDS));
    return server.requestHandler(router).listen();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** The bound port (useful with port 0), or -1 before start. */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  private Router router(IngestHandler handler) {
    Router router = Router.router(vertx);
    BodyHandler body = BodyHandler.create(false)
        .setBodyLimit(options.maxRequestBytes())
        .setPreallocateBodyBuffer(true);
    router.get("/v1/ping").handler(ctx -> ctx.response().setStatusCode(204).end());
    for (String type : SINGLE_EVENT_TYPES) {
      router.route(HttpMethod.POST, "/v1/" + type)
          .handler(handler.headerCheck())
          .handler(body)
          .handler(ctx -> handler.single(ctx, type));
    }
    for (String path : BATCH_PATHS) {
      router.route(HttpMethod.POST, path)
          .handler(handler.headerCheck())
          .handler(body)
          .handler(handler::batch);
    }
    router.route().failureHandler(handler::failure);
    router.errorHandler(404, ctx -> IngestResponses.error(ctx.response(), ErrorCode.NOT_FOUND,
        "no such endpoint: " + clip(ctx.request().path())));
    router.errorHandler(405, ctx -> IngestResponses.error(ctx.response(), ErrorCode.METHOD_NOT_ALLOWED,
        ctx.request().method() + " is not allowed on " + clip(ctx.request().path())));
    return router;
  }

  private static String clip(String path) {
    return path == null || path.length() <= 100 ? String.valueOf(path) : path.substring(0, 100) + "…";
  }
}
