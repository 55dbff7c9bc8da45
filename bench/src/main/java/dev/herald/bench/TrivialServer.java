package dev.herald.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.function.Supplier;

/**
 * The yardstick: a Vert.x Web server that takes the same requests as Herald's ingest (router,
 * body handler, one instance per core) and answers 200 with a small JSON body, storing nothing.
 * Run as a child JVM by the benchmark: {@code TrivialServer <port>}.
 */
public final class TrivialServer extends VerticleBase {

  private final int port;
  private HttpServer server;

  TrivialServer(int port) {
    this.port = port;
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    deploy(() -> new TrivialServer(port));
  }

  /** Deploys one instance per core of a yardstick in a fresh Vert.x; exits the JVM if that fails. */
  static void deploy(Supplier<VerticleBase> yardstick) {
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    Vertx.vertx().deployVerticle(yardstick, new DeploymentOptions().setInstances(instances))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }

  /** The server every yardstick runs: Herald's routes, a bounded body handler, then {@code answer}. */
  static HttpServer server(Vertx vertx, int port, boolean inflate, Handler<RoutingContext> answer) {
    Router router = Router.router(vertx);
    router.get("/v1/ping").handler(ctx -> ctx.response().setStatusCode(204).end());
    router.post("/v1/*").handler(BodyHandler.create(false).setBodyLimit(512_000)).handler(answer);
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
        .setDecompressionSupported(inflate)).requestHandler(router);
  }

  @Override
  public Future<?> start() {
    server = server(vertx, port, false, ctx ->
        ctx.response().putHeader("content-type", "application/json").end("{\"success\":true}"));
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }
}
