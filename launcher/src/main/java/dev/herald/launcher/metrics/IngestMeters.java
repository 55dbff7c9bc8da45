package dev.herald.launcher.metrics;

import dev.herald.ingest.IngestListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code herald_ingest_events_total{source,outcome,code}}, {@code herald_ingest_request_seconds{route,status}}
 * and {@code herald_log_append_seconds}. Meters are cached by their labels: ingest tells this
 * class about every request, on every core.
 */
final class IngestMeters implements IngestListener {

  private final MeterRegistry registry;
  private final ConcurrentHashMap<EventLabels, Counter> events = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<RequestLabels, Timer> requests = new ConcurrentHashMap<>();
  private final Function<EventLabels, Counter> newEventCounter = this::eventCounter;
  private final Function<RequestLabels, Timer> newRequestTimer = this::requestTimer;
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

  /**
   * A meter's labels as a map key: looked up once per request, so the key is a small record
   * (whose strings' hashes are cached) rather than a string built for each lookup.
   */
  private record EventLabels(String source, String outcome, String code) {}

  private record RequestLabels(String route, int status) {}

  @Override
  public void events(String sourceId, String outcome, String code, int count) {
    // Sources come from the config and codes from a fixed list: the labels stay few.
    EventLabels labels = new EventLabels(sourceId, outcome, code == null ? "" : code);
    Counter counter = events.get(labels);
    (counter != null ? counter : events.computeIfAbsent(labels, newEventCounter)).increment(count);
  }

  private Counter eventCounter(EventLabels labels) {
    return Counter.builder("herald.ingest.events")
        .description("events ingest accepted, acknowledged as duplicates, or rejected (by error code)")
        .tag("source", labels.source()).tag("outcome", labels.outcome()).tag("code", labels.code())
        .register(registry);
  }

  @Override
  public void request(String route, int status, long nanos) {
    RequestLabels labels = new RequestLabels(route, status);
    Timer timer = requests.get(labels);
    (timer != null ? timer : requests.computeIfAbsent(labels, newRequestTimer)).record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer requestTimer(RequestLabels labels) {
    return HeraldMetrics.timer("herald.ingest.request", "time from a request's start to its answer, by route and status")
        .tag("route", labels.route()).tag("status", Integer.toString(labels.status())).register(registry);
  }

  @Override
  public void appended(int count, long nanos, boolean durable) {
    (durable ? appendOk : appendFailed).record(nanos, TimeUnit.NANOSECONDS);
  }
}
