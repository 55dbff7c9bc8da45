package dev.herald.launcher.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.bus.deadletter.DeadLetter;
import dev.herald.bus.deadletter.DeadLetterQuery;
import dev.herald.bus.router.ReplayProgress;
import dev.herald.bus.router.ReplayRequest;
import dev.herald.bus.router.RunnerStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class AdminVerticleTest {

  private static final String TOKEN = "admin-token-123";

  /** A fixed backend: one destination "hook" with one dead letter. */
  private static final class FixedBackend implements AdminBackend {
    volatile boolean ready;
    final AtomicReference<DeadLetterQuery> lastQuery = new AtomicReference<>();

    @Override public boolean ready() { return ready; }

    @Override public Future<JsonArray> destinations() {
      return Future.succeededFuture(new JsonArray().add(new JsonObject().put("id", "hook").put("breaker", "CLOSED")));
    }

    @Override public DestinationOperations operations() {
      return new DestinationOperations() {
        @Override public Future<Optional<RunnerStatus>> pause(String id) { return Future.succeededFuture(Optional.empty()); }
        @Override public Future<Optional<RunnerStatus>> resume(String id) { return Future.succeededFuture(Optional.empty()); }
        @Override public Future<Optional<List<DeadLetter>>> deadLetters(String id, DeadLetterQuery query) {
          lastQuery.set(query);
          if (!id.equals("hook")) return Future.succeededFuture(Optional.empty());
          return Future.succeededFuture(Optional.of(List.of(new DeadLetter(1, "m1", "hook", "HTTP 400", 400, null, 1,
              null, Instant.parse("2026-01-01T00:00:00Z"), new JsonObject()))));
        }
        @Override public Future<Optional<ReplayProgress>> replay(String id, ReplayRequest request) {
          return Future.succeededFuture(Optional.empty());
        }
        @Override public Optional<ReplayProgress> replayProgress(String replayId) { return Optional.empty(); }
        @Override public Future<Optional<Long>> deleteDeadLetters(String id, DeadLetterQuery filter) {
          return Future.succeededFuture(Optional.empty());
        }
      };
    }
  }

  private final FixedBackend backend = new FixedBackend();
  private WebClient client;
  private int port;

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    client = WebClient.create(vertx);
    AdminVerticle admin = new AdminVerticle("127.0.0.1", 0, TOKEN, backend);
    vertx.deployVerticle(admin).onComplete(ctx.succeeding(id -> {
      port = admin.actualPort();
      ctx.completeNow();
    }));
  }

  private Future<HttpResponse<Buffer>> get(String path, String authorization) {
    var req = client.get(port, "127.0.0.1", path);
    if (authorization != null) req.putHeader("Authorization", authorization);
    return req.send();
  }

  @Test
  void healthProbesNeedNoToken(VertxTestContext ctx) {
    get("/health/live", null)
        .compose(live -> {
          ctx.verify(() -> assertEquals(200, live.statusCode()));
          return get("/health/ready", null);
        })
        .compose(notReady -> {
          ctx.verify(() -> assertEquals(503, notReady.statusCode()));
          backend.ready = true;
          return get("/health/ready", null);
        })
        .onComplete(ctx.succeeding(ready -> ctx.verify(() -> {
          assertEquals(200, ready.statusCode());
          assertEquals("UP", ready.bodyAsJsonObject().getString("status"));
          ctx.completeNow();
        })));
  }

  @Test
  void adminRoutesNeedTheBearerToken(VertxTestContext ctx) {
    get("/admin/destinations", null)
        .compose(none -> {
          ctx.verify(() -> {
            assertEquals(401, none.statusCode());
            assertEquals("unauthorized", none.bodyAsJsonObject().getString("code"));
          });
          return get("/admin/destinations", "Bearer wrong");
        })
        .compose(wrong -> {
          ctx.verify(() -> assertEquals(401, wrong.statusCode()));
          return get("/admin/destinations", "Bearer " + TOKEN);
        })
        .onComplete(ctx.succeeding(ok -> ctx.verify(() -> {
          assertEquals(200, ok.statusCode());
          assertEquals("hook", ok.bodyAsJsonObject().getJsonArray("destinations").getJsonObject(0).getString("id"));
          ctx.completeNow();
        })));
  }

  @Test
  void deadLettersTakeQueryParametersAndAnswer404ForUnknownDestinations(VertxTestContext ctx) {
    String auth = "Bearer " + TOKEN;
    get("/admin/destinations/hook/dead-letters?limit=5&offset=2&messageId=m1&reason=400", auth)
        .compose(found -> {
          ctx.verify(() -> {
            assertEquals(200, found.statusCode());
            assertEquals("m1", found.bodyAsJsonObject().getJsonArray("deadLetters").getJsonObject(0).getString("messageId"));
            assertEquals(DeadLetterQuery.firstPage().withLimit(5).withOffset(2).withMessageId("m1").withReasonContaining("400")
                .withStatus(null).withState(null), backend.lastQuery.get());
          });
          return get("/admin/destinations/nope/dead-letters", auth);
        })
        .compose(unknown -> {
          ctx.verify(() -> {
            assertEquals(404, unknown.statusCode());
            assertEquals("unknown_destination", unknown.bodyAsJsonObject().getString("code"));
          });
          return get("/admin/destinations/hook/dead-letters?limit=0", auth);
        })
        .onComplete(ctx.succeeding(bad -> ctx.verify(() -> {
          assertEquals(400, bad.statusCode());
          assertEquals("invalid_parameter", bad.bodyAsJsonObject().getString("code"));
          ctx.completeNow();
        })));
  }
}
