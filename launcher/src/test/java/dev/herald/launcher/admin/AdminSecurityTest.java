package dev.herald.launcher.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.launcher.metrics.HeraldMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The admin API's security rules against a real listener: off loopback it needs a token and checks
 * it on {@code /admin/*} and {@code /metrics}; the token never shows in an answer or a log line.
 */
@ExtendWith(VertxExtension.class)
class AdminSecurityTest {

  private static final String TOKEN = "s3cret-admin-token-4b1d";

  private final PrometheusMeterRegistry registry = HeraldMetrics.newRegistry();
  private final AdminBackend backend = new AdminBackend() {
    @Override public boolean ready() { return true; }
    @Override public Future<JsonArray> destinations() {
      return Future.succeededFuture(new JsonArray().add(new JsonObject().put("id", "hook")));
    }
    @Override public PrometheusMeterRegistry meterRegistry() { return registry; }
  };
  private Vertx vertx;
  private WebClient client;
  private LogCapture logs;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
    this.logs = new LogCapture();
    registry.counter("herald.test.requests").increment();
  }

  @AfterEach
  void tearDown() {
    logs.close();
  }

  private AdminVerticle deploy(String host, String token) throws Exception {
    AdminVerticle admin = new AdminVerticle(host, 0, token, backend);
    vertx.deployVerticle(admin).await(30, TimeUnit.SECONDS);
    return admin;
  }

  private HttpResponse<Buffer> get(AdminVerticle admin, String path, String authorization) throws Exception {
    var request = client.get(admin.actualPort(), "127.0.0.1", path);
    if (authorization != null) request.putHeader("Authorization", authorization);
    return request.send().await(30, TimeUnit.SECONDS);
  }

  @Test
  void aNonLoopbackAdminApiWithoutATokenRefusesToStart() {
    Exception e = assertThrows(Exception.class, () -> deploy("0.0.0.0", null));
    assertTrue(e.getMessage().contains("not a loopback address"), e.getMessage());
  }

  @Test
  void offLoopbackEveryAdminRouteAndMetricsNeedTheRightBearerTokenWhileProbesStayOpen() throws Exception {
    AdminVerticle admin = deploy("0.0.0.0", TOKEN);
    List<String> bodies = new java.util.ArrayList<>();
    for (String path : List.of("/admin/destinations", "/admin/plugins", "/metrics")) {
      HttpResponse<Buffer> none = get(admin, path, null);
      HttpResponse<Buffer> wrong = get(admin, path, "Bearer " + TOKEN.substring(0, TOKEN.length() - 1) + "x");
      HttpResponse<Buffer> prefix = get(admin, path, "Bearer " + TOKEN.substring(0, 5));
      HttpResponse<Buffer> basic = get(admin, path, "Basic " + TOKEN);
      for (HttpResponse<Buffer> refused : List.of(none, wrong, prefix, basic)) {
        assertEquals(401, refused.statusCode(), path);
        assertEquals("unauthorized", refused.bodyAsJsonObject().getString("code"), path);
        assertTrue(refused.getHeader("WWW-Authenticate").startsWith("Bearer"), path);
        bodies.add(refused.bodyAsString());
      }
      HttpResponse<Buffer> right = get(admin, path, "Bearer " + TOKEN);
      assertEquals(200, right.statusCode(), path + ": " + right.bodyAsString());
    }
    assertEquals(200, get(admin, "/health/live", null).statusCode());
    assertEquals(200, get(admin, "/health/ready", null).statusCode());
    assertTrue(get(admin, "/metrics", "Bearer " + TOKEN).bodyAsString().contains("herald_test_requests_total 1.0"));
    bodies.forEach(body -> assertFalse(body.contains(TOKEN.substring(0, 5)), body));
    logs.lines().forEach(line -> assertFalse(line.contains(TOKEN.substring(0, 5)), line));
  }

  @Test
  void onLoopbackWithoutATokenTheAdminApiAnswersAndWarnsOnce() throws Exception {
    AdminVerticle admin = deploy("127.0.0.1", null);
    assertEquals(200, get(admin, "/admin/destinations", null).statusCode());
    assertEquals(200, get(admin, "/metrics", null).statusCode());
    List<String> warnings = logs.lines().stream().filter(l -> l.startsWith("WARN") && l.contains("no token")).toList();
    assertEquals(1, warnings.size(), logs.lines().toString());
  }
}
