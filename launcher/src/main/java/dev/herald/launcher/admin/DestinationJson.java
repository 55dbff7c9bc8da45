package dev.herald.launcher.admin;

import dev.herald.bus.router.Router;
import dev.herald.bus.router.RunnerStatus;
import io.vertx.core.json.JsonObject;

/** One destination as {@code GET /admin/destinations} (and the status page) shows it. */
public final class DestinationJson {

  private DestinationJson() {}

  /** @param traceBook where the time of the last failure is kept */
  public static JsonObject of(RunnerStatus s, Router router, TraceBook traceBook) {
    return new JsonObject()
        .put("id", s.id())
        .put("type", s.type())
        .put("state", s.state().name())
        .put("breaker", s.breaker() == null ? null : s.breaker().name())
        .put("lag", s.lag())
        .put("lagSeconds", s.lagSeconds(System.currentTimeMillis()))
        .put("delivered", s.delivered())
        .put("rejected", s.rejected())
        .put("retried", s.retried())
        .put("deadLettered", s.deadLettered())
        .put("filtered", s.filtered())
        .put("transformFailed", s.transformFailed())
        .put("inFlight", s.inFlight())
        .put("concurrencyLimit", s.concurrencyLimit())
        .put("lastError", s.lastError())
        .put("lastErrorAt", s.lastError() == null || traceBook.lastFailureAt(s.id()) == null ? null
            : traceBook.lastFailureAt(s.id()).toString())
        .put("suspect", s.suspect())
        .put("lost", new JsonObject().put("retention", s.losses().retention()).put("damaged", s.losses().damaged()))
        .put("paused", router.paused(s.id()))
        .put("deadLettersStored", router.deadLetters(s.id()).map(d -> d.count()).orElse(0L))
        .put("deadLettersDropped", router.deadLetters(s.id()).map(d -> d.dropped()).orElse(0L));
  }
}
