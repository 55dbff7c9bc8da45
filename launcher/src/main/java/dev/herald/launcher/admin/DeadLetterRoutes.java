package dev.herald.launcher.admin;

import static dev.herald.launcher.admin.Answers.error;
import static dev.herald.launcher.admin.Answers.json;
import static dev.herald.launcher.admin.Answers.unknownDestination;

import dev.herald.bus.deadletter.DeadLetter;
import dev.herald.bus.deadletter.DeadLetterQuery;
import dev.herald.bus.router.ReplayProgress;
import dev.herald.bus.router.ReplayRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The dead-letter routes: list ({@code GET …/dead-letters} with filters and paging), replay
 * ({@code POST …/dead-letters/replay}, the filters as a JSON body with {@code ratePerSecond},
 * {@code dryRun}, {@code force}, {@code limit}), a replay's progress ({@code GET /admin/replays/{id}})
 * and delete ({@code DELETE …/dead-letters} with the filters, or {@code all=true}).
 */
final class DeadLetterRoutes {

  private static final int MAX_BODY_BYTES = 64 * 1024;
  private static final Set<String> REPLAY_KEYS = Set.of("ratePerSecond", "dryRun", "force", "limit");

  private final DestinationOperations ops;

  private DeadLetterRoutes(DestinationOperations ops) {
    this.ops = ops;
  }

  static void mount(Router router, DestinationOperations ops) {
    DeadLetterRoutes routes = new DeadLetterRoutes(ops);
    router.get("/admin/destinations/:id/dead-letters").handler(routes::list);
    router.delete("/admin/destinations/:id/dead-letters").handler(routes::delete);
    router.post("/admin/destinations/:id/dead-letters/replay")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .handler(routes::replay);
    router.get("/admin/replays/:replayId").handler(routes::progress);
  }

  private void list(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    DeadLetterQuery query;
    try {
      query = DeadLetterFilters.fromParams(ctx.queryParams());
    } catch (IllegalArgumentException e) {
      error(ctx, 400, "invalid_parameter", e.getMessage());
      return;
    }
    ops.deadLetters(id, query).onSuccess(found -> {
      if (found.isEmpty()) {
        unknownDestination(ctx, id);
        return;
      }
      JsonArray letters = new JsonArray();
      found.get().stream().map(DeadLetter::toJson).forEach(letters::add);
      json(ctx, 200, new JsonObject().put("destination", id).put("limit", query.limit()).put("offset", query.offset())
          .put("deadLetters", letters));
    }).onFailure(ctx::fail);
  }

  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    DeadLetterQuery filter;
    try {
      if (!DeadLetterFilters.anyFilter(ctx.queryParams()) && !"true".equals(ctx.queryParams().get("all"))) {
        throw new IllegalArgumentException("name a filter (since, until, reason, status, messageId, state), "
            + "or all=true to delete every dead letter of the destination");
      }
      filter = DeadLetterFilters.fromParams(ctx.queryParams());
    } catch (IllegalArgumentException e) {
      error(ctx, 400, "invalid_parameter", e.getMessage());
      return;
    }
    ops.deleteDeadLetters(id, filter).onSuccess(deleted -> {
      if (deleted.isEmpty()) {
        unknownDestination(ctx, id);
      } else {
        json(ctx, 200, new JsonObject().put("destination", id).put("deleted", deleted.get()));
      }
    }).onFailure(ctx::fail);
  }

  private void replay(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    ReplayRequest request;
    try {
      request = request(ctx.body().buffer() == null || ctx.body().length() == 0 ? new JsonObject()
          : ctx.body().asJsonObject());
    } catch (DecodeException | ClassCastException e) {
      error(ctx, 400, "invalid_body", "the body must be a JSON object of filters and replay settings");
      return;
    } catch (IllegalArgumentException e) {
      error(ctx, 400, "invalid_parameter", e.getMessage());
      return;
    }
    ops.replay(id, request).onSuccess(progress -> {
      if (progress.isEmpty()) {
        unknownDestination(ctx, id);
      } else {
        json(ctx, request.dryRun() ? 200 : 202, toJson(progress.get()));
      }
    }).onFailure(ctx::fail);
  }

  private void progress(RoutingContext ctx) {
    String replayId = ctx.pathParam("replayId");
    ops.replayProgress(replayId).ifPresentOrElse(p -> json(ctx, 200, toJson(p)),
        () -> error(ctx, 404, "unknown_replay", "no replay with id '" + replayId + "' (replays are remembered until a restart)"));
  }

  static ReplayRequest request(JsonObject body) {
    DeadLetterQuery filter = DeadLetterFilters.fromJson(body, REPLAY_KEYS);
    List<String> problems = new ArrayList<>();
    int rate = DeadLetterFilters.integer(string(body, "ratePerSecond"), "ratePerSecond", ReplayRequest.DEFAULT_RATE, 1,
        ReplayRequest.MAX_RATE, problems);
    int max = DeadLetterFilters.integer(string(body, "limit"), "limit", 0, 0, Integer.MAX_VALUE, problems);
    boolean dryRun = bool(body, "dryRun", problems);
    boolean force = bool(body, "force", problems);
    DeadLetterFilters.throwIfAny(problems);
    return new ReplayRequest(filter, rate, dryRun, force, max);
  }

  private static String string(JsonObject body, String key) {
    Object v = body.getValue(key);
    return v == null ? null : String.valueOf(v);
  }

  private static boolean bool(JsonObject body, String key, List<String> problems) {
    Object v = body.getValue(key);
    if (v == null) return false;
    if (v instanceof Boolean b) return b;
    problems.add("'" + key + "' must be true or false");
    return false;
  }

  static JsonObject toJson(ReplayProgress p) {
    return new JsonObject()
        .put("replayId", p.replayId())
        .put("destination", p.destination())
        .put("state", p.state())
        .put("dryRun", p.dryRun())
        .put("force", p.force())
        .put("ratePerSecond", p.ratePerSecond())
        .put("selected", p.selected())
        .put("skipped", p.skipped())
        .put("toReplay", p.toReplay())
        .put("replayed", p.replayed())
        .put("delivered", p.delivered())
        .put("failed", p.failed())
        .put("filtered", p.filtered())
        .put("error", p.error())
        .put("startedAt", p.startedAt().toString())
        .put("finishedAt", p.finishedAt() == null ? null : p.finishedAt().toString())
        .put("progress", "/admin/replays/" + p.replayId());
  }
}
