package dev.herald.launcher.metrics;

import dev.herald.bus.router.RunnerStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.circuitbreaker.CircuitBreakerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Per destination, meters that read the runner's own counters at scrape time (the same numbers
 * {@code GET /admin/destinations} shows, so the two always agree and nothing on the send path
 * counts twice): {@code herald_destination_events_total{destination,outcome}},
 * {@code herald_destination_lag_events}, {@code herald_destination_lag_seconds},
 * {@code herald_destination_breaker_state} (0 closed, 1 half-open, 2 open),
 * {@code herald_destination_in_flight}, {@code herald_destination_concurrency_limit} and
 * {@code herald_log_lost_events_total{destination,cause}};
 * plus the destination's send timer ({@link SendTimers}).
 */
public final class DestinationMeters {

  private final MeterRegistry registry;
  private final Function<String, RunnerStatus> statuses;
  private final Supplier<Map<String, Long>> retentionLosses;
  private final Supplier<Map<String, Long>> damageLosses;
  private final SendTimers sends;
  private final Map<String, List<Meter>> bound = new ConcurrentHashMap<>();

  /**
   * @param statuses a destination's current status, null when it is not running
   * @param retentionLosses per consumer (destination id), events the log's retention deleted unread
   * @param damageLosses per consumer, events the log skipped as unreadable (damaged records)
   */
  public DestinationMeters(HeraldMetrics metrics, Function<String, RunnerStatus> statuses,
      Supplier<Map<String, Long>> retentionLosses, Supplier<Map<String, Long>> damageLosses) {
    this.registry = metrics.registry();
    this.statuses = statuses;
    this.retentionLosses = retentionLosses;
    this.damageLosses = damageLosses;
    this.sends = (SendTimers) metrics.sends();
  }

  /** Registers a started destination's meters. */
  public void bind(String id) {
    List<Meter> meters = new ArrayList<>();
    outcome(meters, id, "delivered", RunnerStatus::delivered);
    outcome(meters, id, "rejected", RunnerStatus::rejected);
    outcome(meters, id, "retried", RunnerStatus::retried);
    outcome(meters, id, "dead_lettered", RunnerStatus::deadLettered);
    outcome(meters, id, "filtered", RunnerStatus::filtered);
    outcome(meters, id, "transform_failed", RunnerStatus::transformFailed);
    gauge(meters, id, "herald.destination.lag.events", "events in the log this destination has not settled",
        RunnerStatus::lag);
    gauge(meters, id, "herald.destination.lag.seconds",
        "age of the oldest event read and not yet settled (0 when none is)",
        s -> s.lagSeconds(System.currentTimeMillis()));
    gauge(meters, id, "herald.destination.breaker.state", "circuit breaker: 0 closed, 1 half-open, 2 open",
        s -> breaker(s.breaker()));
    gauge(meters, id, "herald.destination.in.flight", "sends awaiting an answer", RunnerStatus::inFlight);
    gauge(meters, id, "herald.destination.concurrency.limit",
        "batches that may be out at once now (adaptive, at most delivery.maxInFlight)", RunnerStatus::concurrencyLimit);
    meters.add(FunctionCounter.builder("herald.log.lost.events", retentionLosses,
            losses -> losses.get().getOrDefault(id, 0L))
        .description("events this destination never received: the log deleted them first")
        .tags("destination", id, "cause", "retention").register(registry));
    meters.add(FunctionCounter.builder("herald.log.lost.events", damageLosses,
            losses -> losses.get().getOrDefault(id, 0L))
        .description("events this destination never received: the log deleted them first")
        .tags("destination", id, "cause", "corruption").register(registry));
    meters.add(sends.timer(id));
    List<Meter> old = bound.put(id, meters);
    if (old != null) old.forEach(registry::remove);
  }

  /** Removes a stopped destination's meters. */
  public void unbind(String id) {
    List<Meter> meters = bound.remove(id);
    if (meters != null) meters.forEach(registry::remove);
    sends.remove(id);
  }

  static double breaker(CircuitBreakerState state) {
    if (state == null) return Double.NaN;
    return switch (state) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  private void outcome(List<Meter> meters, String id, String outcome, ToDoubleFunction<RunnerStatus> value) {
    meters.add(FunctionCounter.builder("herald.destination.events", this, m -> m.read(id, value))
        .description("events by what became of them at this destination (dead_lettered includes rejected "
            + "and transform_failed)")
        .tags("destination", id, "outcome", outcome).register(registry));
  }

  private void gauge(List<Meter> meters, String id, String name, String description,
      ToDoubleFunction<RunnerStatus> value) {
    meters.add(Gauge.builder(name, this, m -> m.read(id, value)).description(description)
        .tag("destination", id).register(registry));
  }

  private double read(String id, ToDoubleFunction<RunnerStatus> value) {
    RunnerStatus status = statuses.apply(id);
    return status == null ? Double.NaN : value.applyAsDouble(status);
  }
}
