package dev.herald.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

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
    Vertx vertx = Vertx.vertx();
    int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
    vertx.deployVerticle(() -> new TrivialServer(port), new DeploymentOptions().setInstances(instances))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/v1/ping").handler(ctx -> ctx.response().setStatusCode(204).end());
    router.post("/v1/*").handler(BodyHandler.create(false).setBodyLimit(512_000)).handler(ctx ->
        ctx.response().putHeader("content-type", "application/json").end("{\"success\":true}"));
    server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port));
    return server.requestHandler(router).listen();
  }

  @Override
  public Future<?> stop() {
    return server.close();
  }
}
