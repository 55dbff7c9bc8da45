package dev.herald.launcher.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Herald's held HTTP server meters against Vert.x's own: the same requests (statuses, methods,
 * bodies, a request cut off mid-body) through a server of each give the same exported series.
 */
class VertxMetersTest {

  @Test
  void theHttpServerSeriesAreTheSameAsVertxsOwn() throws Exception {
    PrometheusMeterRegistry ours = HeraldMetrics.newRegistry();
    PrometheusMeterRegistry theirs = HeraldMetrics.newRegistry();
    Vertx herald = HeraldMetrics.vertx(ours);
    Vertx plain = Vertx.builder().with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
            .setRegistryName("plain-" + UUID.randomUUID()).setEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(theirs)).build();
    Vertx clients = Vertx.vertx();
    try {
      assertEquals(VertxMeters.class, ((VertxInternal) herald).metrics().getClass().getEnclosingClass(),
          "Herald's Vertx holds its HTTP server meters");
      exercise(herald, clients);
      exercise(plain, clients);
      // The reset is counted once the server has seen the cut connection close, a moment after the client closed it.
      String expected = awaitLine(theirs, "vertx_http_server_request_resets_total{method=\"POST\"} 1.0");
      assertTrue(expected.contains("vertx_http_server_requests_total{code=\"404\",method=\"GET\"} 2.0"), expected);
      assertTrue(expected.contains("vertx_http_server_request_resets_total{method=\"POST\"} 1.0"), expected);
      awaitSame(expected, ours, theirs);
    } finally {
      clients.close().await();
      herald.close().await();
      plain.close().await();
    }
  }

  /** The registry's series once they hold {@code line}, or as they are at the deadline. */
  private static String awaitLine(PrometheusMeterRegistry registry, String line) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    String series = series(registry);
    while (!series.contains(line) && System.nanoTime() < deadline) {
      Thread.sleep(20);
      series = series(registry);
    }
    return series;
  }

  private static void awaitSame(String expected, PrometheusMeterRegistry ours, PrometheusMeterRegistry theirs)
      throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    String actual = series(ours);
    // The gauges settle when each connection's close has been seen on both servers.
    while (!actual.equals(series(theirs)) && System.nanoTime() < deadline) {
      Thread.sleep(20);
      actual = series(ours);
    }
    assertEquals(series(theirs), actual);
  }

  /** Each server's requests: 200 with a body, 404, 204, a POST with a body, and one cut off mid-body. */
  private static void exercise(Vertx vertx, Vertx clients) throws Exception {
    Promise<Void> cutArrived = Promise.promise();
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      if (request.path().equals("/cut")) {
        // Never answered: whether an answer to a failed body or the reset is seen first is a race.
        cutArrived.tryComplete();
        return;
      }
      request.body().onComplete(body -> answer(request, body.succeeded() ? body.result().length() : -1));
    }).listen(0, "127.0.0.1").await();
    int port = server.actualPort();
    HttpClient client = clients.createHttpClient(new HttpClientOptions().setKeepAlive(true));
    for (String path : List.of("/ok", "/missing", "/empty", "/missing", "/ok")) {
      client.request(new RequestOptions().setPort(port).setHost("127.0.0.1").setURI(path))
          .compose(request -> request.send()).compose(response -> response.body()).await();
    }
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setPort(port).setHost("127.0.0.1").setURI("/ok"))
        .compose(request -> request.send(Buffer.buffer("{\"event\":\"x\"}"))).compose(response -> response.body())
        .await();
    client.close().await();
    NetClient raw = clients.createNetClient();
    NetSocket socket = raw.connect(port, "127.0.0.1").await();
    socket.write("POST /cut HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"cut\":").await();
    cutArrived.future().await(10, TimeUnit.SECONDS);
    socket.close().await();
    raw.close().await();
    server.close().await();
  }

  private static void answer(HttpServerRequest request, int bodyLength) {
    switch (request.path()) {
      case "/ok" -> request.response().end("answered " + bodyLength);
      case "/empty" -> request.response().setStatusCode(204).end();
      default -> request.response().setStatusCode(404).end("no");
    }
  }

  /** The HTTP server's series, with the values that depend on timing masked. */
  private static String series(PrometheusMeterRegistry registry) {
    return registry.scrape().lines()
        .filter(line -> line.contains("vertx_http_server_"))
        .map(line -> line.startsWith("vertx_http_server_response_time_seconds_sum")
            || line.startsWith("vertx_http_server_response_time_seconds_max")
            ? line.substring(0, line.lastIndexOf(' ')) + " (time)" : line)
        .sorted()
        .collect(Collectors.joining("\n"));
  }
}
