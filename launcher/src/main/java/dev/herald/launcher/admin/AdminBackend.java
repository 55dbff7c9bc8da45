package dev.herald.launcher.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;

/** What the admin API reads from a running Herald. Answers must carry no secrets. */
public interface AdminBackend {

  /** True once every part started and until stopping begins. */
  boolean ready();

  /** One JSON object per destination: id, type, state, breaker, lag, counts. */
  Future<JsonArray> destinations();

  /** Re-reads the config and applies it ({@code POST /admin/reload}). */
  default Future<ReloadRoute.Outcome> reload() {
    return Future.succeededFuture(new ReloadRoute.Outcome(404, new io.vertx.core.json.JsonObject()
        .put("success", false).put("code", "not_found").put("message", "reload is not available")));
  }

  /** Pause, resume, and the dead letters of each destination. */
  default DestinationOperations operations() {
    return DestinationOperations.NONE;
  }

  /** One JSON object per loaded plugin: id, version, state and the destination types it provides. */
  default Future<JsonArray> plugins() {
    return Future.succeededFuture(new JsonArray());
  }

  /** What {@code GET /metrics} scrapes; null for no metrics. */
  default PrometheusMeterRegistry meterRegistry() {
    return null;
  }

  /** Recent outcomes per messageId (the trace), or null when none is kept. */
  default TraceBook traceBook() {
    return null;
  }

  /** Events accepted and rejected per source since start: {@code {"sources":[{"id","accepted","rejected"}]}}. */
  default io.vertx.core.json.JsonObject ingest() {
    return new io.vertx.core.json.JsonObject().put("sources", new JsonArray());
  }

  /** Where accepted events are published (the live tap), or null when there is none. */
  default TapSource tapSource() {
    return null;
  }
}
