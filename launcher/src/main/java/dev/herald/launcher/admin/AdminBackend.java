package dev.herald.launcher.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.util.Optional;

/** What the admin API reads from a running Herald. Answers must carry no secrets. */
public interface AdminBackend {

  /** True once every part started and until stopping begins. */
  boolean ready();

  /** One JSON object per destination: id, type, state, breaker, lag, counts. */
  Future<JsonArray> destinations();

  /** One JSON object per loaded plugin: id, version, state and the destination types it provides. */
  default Future<JsonArray> plugins() {
    return Future.succeededFuture(new JsonArray());
  }

  /** What {@code GET /metrics} scrapes; null for no metrics. */
  default PrometheusMeterRegistry meterRegistry() {
    return null;
  }

  /** Stored dead letters of a destination matching {@code query}; empty when no such destination. */
  Future<Optional<JsonArray>> deadLetters(String destinationId, DeadLetterRequest query);

  /**
   * A dead-letter listing request from the query string.
   *
   * @param messageId null for any
   * @param reason null for any; matches entries whose reason contains it
   */
  record DeadLetterRequest(int limit, int offset, String messageId, String reason) {}
}
