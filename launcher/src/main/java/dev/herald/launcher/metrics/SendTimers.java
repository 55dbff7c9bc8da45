package dev.herald.launcher.metrics;

import dev.herald.bus.router.SendObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** {@code herald_destination_send_seconds{destination}}: how long each destination took to answer a send. */
final class SendTimers implements SendObserver {

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();

  SendTimers(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void sent(String destinationId, int events, long nanos) {
    timer(destinationId).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Registers the destination's timer (so it shows before its first send). */
  Timer timer(String destinationId) {
    return timers.computeIfAbsent(destinationId, id -> HeraldMetrics.timer("herald.destination.send",
        "time from a send to the destination's answer (or the send timeout)")
        .tag("destination", id).register(registry));
  }

  void remove(String destinationId) {
    Timer t = timers.remove(destinationId);
    if (t != null) registry.remove(t);
  }
}
