package dev.herald.launcher.metrics;

import dev.herald.ingest.IngestListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code herald_ingest_events_total{source,outcome,code}}, {@code herald_ingest_request_seconds{route,status}}
 * and {@code herald_log_append_seconds}. Meters are cached by their labels: ingest tells this
 * class about every request, on every core.
 */
final class IngestMeters implements IngestListener {

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Counter> events = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> requests = new ConcurrentHashMap<>();
  private final Timer appendOk;
  private final Timer appendFailed;

  IngestMeters(MeterRegistry registry) {
    this.registry = registry;
    this.appendOk = append("durable");
    this.appendFailed = append("failed");
  }

  private Timer append(String result) {
    return HeraldMetrics.timer("herald.log.append", "time from an append to the log until its events are durable")
        .tag("result", result).register(registry);
  }

  @Override
  public void events(String sourceId, String outcome, String code, int count) {
    String c = code == null ? "" : code;
    // Sources come from the config and codes from a fixed list: the labels stay few.
    events.computeIfAbsent(sourceId + '\n' + outcome + '\n' + c, k -> Counter.builder("herald.ingest.events")
        .description("events ingest accepted, acknowledged as duplicates, or rejected (by error code)")
        .tag("source", sourceId).tag("outcome", outcome).tag("code", c)
        .register(registry)).increment(count);
  }

  @Override
  public void request(String route, int status, long nanos) {
    requests.computeIfAbsent(route + ' ' + status, k -> HeraldMetrics.timer("herald.ingest.request",
        "time from a request's start to its answer, by route and status")
        .tag("route", route).tag("status", Integer.toString(status)).register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void appended(int count, long nanos, boolean durable) {
    (durable ? appendOk : appendFailed).record(nanos, TimeUnit.NANOSECONDS);
  }
}
