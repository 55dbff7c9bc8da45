package dev.herald.ingest;

import dev.herald.bus.log.EventLog;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Segment-compatible tracking API. Stateless per request apart from the {@link IngestState}
 * (dedup memory, rate limits) its instances share, so the launcher deploys one instance per
 * core, all sharing the port, the one {@link EventLog} and the one state:
 * <pre>{@code
 * IngestState state = IngestState.open(vertx, options).await();
 * vertx.deployVerticle(() -> new IngestVerticle(options, log, state), new DeploymentOptions().setInstances(cores));
 * }</pre>
 * After each durable append, while a live tap listens ({@link IngestState#tap()}), it publishes the
 * request's accepted events, as one {@code JsonArray}, to {@link #ACCEPTED_ADDRESS} on the local
 * event bus.
 */
public final class IngestVerticle extends VerticleBase {

  /**
   * Local event-bus address of accepted events: one JsonArray per request of
   * {@code {"messageId","type","topic","source","partitionKey","receivedAt","payload"}}.
   */
  public static final String ACCEPTED_ADDRESS = "herald.ingest.accepted";

  /** The single-event routes, the short alias analytics.js posts to, and the type each sets. */
  static final Map<String, String> SINGLE_EVENT_ROUTES = Map.of(
      "track", "t", "identify", "i", "page", "p", "screen", "s", "group", "g", "alias", "a");
  static final List<String> BATCH_PATHS = List.of("/v1/batch", "/v1/import", "/v1/b");
  static final String TOPIC_PATH = "/v1/topics/:topic";
  /** Where RudderStack's browser SDK sends batches with {@code navigator.sendBeacon}. */
  static final String BEACON_PATH = "/beacon/v1/batch";
  /** RudderStack's control-plane route its browser SDK loads its source config from. */
  static final String SOURCE_CONFIG_PATH = "/sourceConfig";

  static final int IDLE_TIMEOUT_SECONDS = 60;

  private final IngestOptions options;
  private final EventLog log;
  private final IngestState sharedState;
  private final IngestListener listener;
  private IngestState state;
  private HttpServer server;
  private TlsSupport tls;
  private HttpHardening hardening;

  /**
   * One of several instances sharing {@code state}, which the caller opens before and closes
   * after them.
   */
  public IngestVerticle(IngestOptions options, EventLog log, IngestState state) {
    this(options, log, state, IngestListener.NONE);
  }

  /** As {@link #IngestVerticle(IngestOptions, EventLog, IngestState)}, telling {@code listener} what it does. */
  public IngestVerticle(IngestOptions options, EventLog log, IngestState state, IngestListener listener) {
    this.options = Objects.requireNonNull(options, "options");
    this.log = Objects.requireNonNull(log, "log");
    this.sharedState = Objects.requireNonNull(state, "state");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** A single instance with a state of its own, opened at start and closed at stop. */
  public IngestVerticle(IngestOptions options, EventLog log) {
    this.options = Objects.requireNonNull(options, "options");
    this.log = Objects.requireNonNull(log, "log");
    this.sharedState = null;
    this.listener = IngestListener.NONE;
  }

  @Override
  public Future<?> start() {
    Future<IngestState> opened = sharedState != null ? Future.succeededFuture(sharedState)
        : IngestState.open(vertx, options);
    return opened.compose(ready -> {
      state = ready;
      TlsOptions tlsOptions = options.server().tls();
      if (tlsOptions == null) {
        return listen(serverOptions());
      }
      tls = new TlsSupport(vertx, tlsOptions);
      return vertx.executeBlocking(() -> TlsSupport.read(tlsOptions), false)
          .compose(pem -> {
            HttpServerOptions https = tls.apply(serverOptions(), pem);
            return listen(https).onSuccess(v -> tls.watch(server, https));
          });
    });
  }

  private HttpServerOptions serverOptions() {
    return new HttpServerOptions()
        .setHost(options.host())
        .setPort(options.port())
        // Herald inflates gzip itself, bounded by maxRequestBytes.
        .setDecompressionSupported(false)
        // HTTP/2 only over TLS: a cleartext h2c upgrade behind a proxy is a way around it.
        .setHttp2ClearTextEnabled(false)
        // Sheds connections that stall mid-request instead of holding them forever.
        .setIdleTimeout(IDLE_TIMEOUT_SECONDS)
        // No WebSocket route: without compression offered, Vert.x leaves out the extension
        // handler that otherwise inspects every request and response of every connection.
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
  }

  private Future<Void> listen(HttpServerOptions serverOptions) {
    Router router = router(new IngestHandler(vertx, options, log, state, listener));
    hardening = new HttpHardening(vertx, options.server().requestReadTimeout(),
        serverOptions.getMaxInitialLineLength(), serverOptions.getMaxHeaderSize());
    hardening.start();
    server = vertx.createHttpServer(serverOptions)
        .connectionHandler(hardening.connections(serverOptions))
        .invalidRequestHandler(hardening::invalid)
        .exceptionHandler(hardening::connectionError)
        .requestHandler(hardening.guard(router));
    return server.listen().mapEmpty();
  }

  /**
   * Reads {@code server.tls}'s files again and serves them to new connections (they are also
   * re-read when they change on disk). Fails, keeping the current certificate, when the files
   * cannot be read; fails when ingest is not serving TLS.
   */
  public Future<Boolean> reloadTls() {
    if (tls == null) {
      return Future.failedFuture(new IllegalStateException("ingest does not serve TLS (no server.tls)"));
    }
    return tls.reload();
  }

  @Override
  public Future<?> stop() {
    if (tls != null) {
      tls.stop();
    }
    if (hardening != null) {
      hardening.stop();
    }
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    if (sharedState == null && state != null) {
      return closed.eventually(() -> state.close());
    }
    return closed;
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
    if (listener != IngestListener.NONE) router.route().handler(new RequestTimer(listener));
    router.route().handler(new CorsHandler(options.corsOrigins()));
    for (String path : withTrailingSlash("/v1/ping")) {
      router.get(path).handler(ctx -> ctx.response().setStatusCode(204).end());
    }
    SINGLE_EVENT_ROUTES.forEach((type, alias) -> {
      for (String path : withTrailingSlash("/v1/" + type, "/v1/" + alias)) {
        post(router, path, handler.headerCheck(false), body, ctx -> handler.single(ctx, type));
      }
    });
    for (String path : withTrailingSlash(BATCH_PATHS.toArray(String[]::new))) {
      post(router, path, handler.headerCheck(false), body, handler::batch);
    }
    for (String path : withTrailingSlash(BEACON_PATH)) {
      post(router, path, handler.beaconHeaderCheck(), body, handler::batch);
    }
    SourceConfigHandler sourceConfig = new SourceConfigHandler(state);
    for (String path : withTrailingSlash(SOURCE_CONFIG_PATH)) {
      router.get(path).handler(sourceConfig);
    }
    for (String path : withTrailingSlash(TOPIC_PATH)) {
      post(router, path, handler.headerCheck(true), body, handler::records);
    }
    router.route().failureHandler(handler::failure);
    router.errorHandler(404, ctx -> IngestResponses.error(ctx.response(), ErrorCode.NOT_FOUND,
        "no such endpoint: " + clip(ctx.request().path())));
    router.errorHandler(405, ctx -> IngestResponses.error(ctx.response(), ErrorCode.METHOD_NOT_ALLOWED,
        ctx.request().method() + " is not allowed on " + clip(ctx.request().path())));
    return router;
  }

  private static void post(Router router, String path, HeaderCheckHandler check, BodyHandler body,
      Handler<RoutingContext> handler) {
    router.route(HttpMethod.POST, path).handler(check).handler(body).handler(handler);
  }

  /** Each path and the same with a trailing slash (analytics-java posts to /v1/import/). */
  private static List<String> withTrailingSlash(String... paths) {
    return java.util.Arrays.stream(paths).flatMap(path -> java.util.stream.Stream.of(path, path + "/")).toList();
  }

  private static String clip(String path) {
    return path == null || path.length() <= 100 ? String.valueOf(path) : path.substring(0, 100) + "…";
  }
}
