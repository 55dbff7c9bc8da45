package dev.herald.ingest;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.HashSet;
import java.util.Set;

/**
 * Tells the {@link IngestListener} each request's route, status and duration. Routes are labelled
 * by their template, never by the raw path, so a client cannot create unbounded label values.
 */
final class RequestTimer implements Handler<RoutingContext> {

  private static final String TOPIC_PREFIX = "/v1/topics/";
  private static final Set<String> ROUTES = routes();

  private final IngestListener listener;

  RequestTimer(IngestListener listener) {
    this.listener = listener;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(ended ->
        listener.request(label(ctx.normalizedPath()), ctx.response().getStatusCode(), System.nanoTime() - start));
    ctx.next();
  }

  static String label(String path) {
    if (path == null) return "other";
    String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (p.startsWith(TOPIC_PREFIX) && p.length() > TOPIC_PREFIX.length()) return "/v1/topics/{topic}";
    return ROUTES.contains(p) ? p : "other";
  }

  private static Set<String> routes() {
    Set<String> routes = new HashSet<>(IngestVerticle.BATCH_PATHS);
    IngestVerticle.SINGLE_EVENT_ROUTES.forEach((type, alias) -> {
      routes.add("/v1/" + type);
      routes.add("/v1/" + alias);
    });
    routes.add(IngestVerticle.BEACON_PATH);
    routes.add(IngestVerticle.SOURCE_CONFIG_PATH);
    routes.add("/v1/ping");
    return Set.copyOf(routes);
  }
}
