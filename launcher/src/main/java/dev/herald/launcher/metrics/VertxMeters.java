package dev.herald.launcher.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Vert.x's Micrometer metrics, with the per-request HTTP server meters held by
 * {@link HttpServerMeters} instead of looked up per request. Everything else is Vert.x's as it is.
 * With labels other than those {@link HttpServerMeters} writes (a path, route, local or remote
 * label, custom request tags, or label rules), Vert.x's implementation is used unchanged.
 */
final class VertxMeters implements VertxMetricsFactory {

  /** The request labels {@link HttpServerMeters} writes, of those Vert.x's HTTP server metrics know. */
  private static final Set<Label> SERVER_LABELS = EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE);
  private static final Set<Label> OTHER_SERVER_LABELS = EnumSet.of(Label.HTTP_PATH, Label.HTTP_ROUTE, Label.LOCAL,
      Label.REMOTE);

  private final MicrometerMetricsFactory vertx;
  private final MeterRegistry registry;

  /** @param registry the registry {@code vertx} was made with */
  VertxMeters(MicrometerMetricsFactory vertx, MeterRegistry registry) {
    this.vertx = vertx;
    this.registry = registry;
  }

  @Override
  public VertxMetrics metrics(VertxOptions options) {
    VertxMetrics metrics = vertx.metrics(options);
    MetricsOptions given = options.getMetricsOptions();
    MicrometerMetricsOptions micrometer = given instanceof MicrometerMetricsOptions m ? m
        : new MicrometerMetricsOptions(given.toJson());
    if (!supported(micrometer)) {
      return metrics;
    }
    String baseName = "vertx." + MetricsDomain.HTTP_SERVER.toCategory() + ".";
    return new Wrapped(metrics, new HttpServerMeters.Shared(registry,
        micrometer.getMetricsNaming().withBaseName(baseName)));
  }

  static boolean supported(MicrometerMetricsOptions options) {
    Set<Label> labels = options.getLabels();
    return labels.containsAll(SERVER_LABELS) && labels.stream().noneMatch(OTHER_SERVER_LABELS::contains)
        && options.getServerRequestTagsProvider() == null
        && (options.getLabelMatches() == null || options.getLabelMatches().isEmpty());
  }

  @Override
  public MetricsOptions newOptions() {
    return vertx.newOptions();
  }

  @Override
  public MetricsOptions newOptions(MetricsOptions options) {
    return vertx.newOptions(options);
  }

  @Override
  public MetricsOptions newOptions(JsonObject json) {
    return vertx.newOptions(json);
  }

  /** Vert.x's metrics, delegated to, except each HTTP server's request-level meters. */
  private record Wrapped(VertxMetrics vertx, HttpServerMeters.Shared serverMeters) implements VertxMetrics {

    @Override
    public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
      HttpServerMetrics<?, ?, ?> server = vertx.createHttpServerMetrics(options, localAddress);
      return server == null ? null : new HttpServerMeters(server, serverMeters);
    }

    @Override
    public EventBusMetrics<?> createEventBusMetrics() {
      return vertx.createEventBusMetrics();
    }

    @Override
    public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
      return vertx.createClientMetrics(remoteAddress, type, namespace);
    }

    @Override
    public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
      return vertx.createHttpClientMetrics(options);
    }

    @Override
    public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress localAddress) {
      return vertx.createNetServerMetrics(options, localAddress);
    }

    @Override
    public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
      return vertx.createNetClientMetrics(options);
    }

    @Override
    public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
      return vertx.createDatagramSocketMetrics(options);
    }

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String type, String name, int maxSize) {
      return vertx.createPoolMetrics(type, name, maxSize);
    }

    @Override
    public void vertxCreated(Vertx created) {
      vertx.vertxCreated(created);
    }

    @Override
    public boolean isMetricsEnabled() {
      return vertx.isMetricsEnabled();
    }

    @Override
    public void close() {
      vertx.close();
    }
  }
}
