package dev.herald.launcher.metrics;

import dev.herald.bus.router.SendObserver;
import dev.herald.ingest.IngestListener;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.time.Duration;
import java.util.UUID;

/**
 * Herald's metrics: one Prometheus registry holding Vert.x's own meters (pools, HTTP servers and
 * clients, event bus: when the Vertx was made by {@link #vertx}), the JVM's, and Herald's
 * ({@link IngestMeters}, {@link DestinationMeters}, {@link PluginMetrics}). {@code GET /metrics}
 * on the admin port scrapes it.
 */
public final class HeraldMetrics implements AutoCloseable {

  /** Histogram buckets of every Herald timer: from a fast fsync to a send timing out. */
  static final Duration[] BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30)};

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final IngestMeters ingest;
  private final SendTimers sends;

  public HeraldMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc.bindTo(registry);
    this.ingest = new IngestMeters(registry);
    this.sends = new SendTimers(registry);
  }

  /** A registry for one Herald; pass it to {@link #vertx} to add Vert.x's meters to it. */
  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /**
   * A Vertx whose pools, servers, clients and event bus report to {@code registry}. Each gets a
   * registry name of its own: Vert.x shares backends by name, and tests run several in one JVM.
   * The HTTP servers' per-request meters are held rather than looked up per request
   * ({@link VertxMeters}); one Vertx per registry.
   */
  public static Vertx vertx(PrometheusMeterRegistry registry) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setRegistryName("herald-" + UUID.randomUUID())
        .setEnabled(true);
    return Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(metrics))
        .withMetrics(new VertxMeters(new MicrometerMetricsFactory(registry), registry))
        .build();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Counts ingest's events and times its requests and appends. */
  public IngestListener ingest() {
    return ingest;
  }

  /** Times every destination's sends. */
  public SendObserver sends() {
    return sends;
  }

  static Timer.Builder timer(String name, String description) {
    return Timer.builder(name).description(description).serviceLevelObjectives(BUCKETS);
  }

  /** Releases the GC listeners; the registry itself is dropped with its Herald. */
  @Override
  public void close() {
    gc.close();
  }
}
