package dev.herald.launcher.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsNaming;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Vert.x's per-request HTTP server meters ({@code vertx_http_server_requests_total},
 * {@code _response_time_seconds}, {@code _response_bytes}, {@code _request_bytes},
 * {@code _active_requests}, {@code _resets_total}) with the meters of each method and status held
 * here: Vert.x's own implementation finds them in the registry by name and tags for every request
 * (four lookups, a gauge registration and a dozen allocations each), which on {@code /v1/track}
 * cost more than Herald's own work per request. The names, tags, descriptions and values are
 * Vert.x's; the connection-level meters stay Vert.x's ({@code vertx} here). Valid only for the
 * labels {@link VertxMeters} checks: method and code, nothing per connection or route.
 */
final class HttpServerMeters implements HttpServerMetrics<HttpServerMeters.Request, Object, Object> {

  private final HttpServerMetrics<Object, Object, Object> vertx;
  private final Shared shared;

  @SuppressWarnings("unchecked")
  HttpServerMeters(HttpServerMetrics<?, ?, ?> vertx, Shared shared) {
    this.vertx = (HttpServerMetrics<Object, Object, Object>) vertx;
    this.shared = shared;
  }

  /** A request in flight: the meters of its method, when it began, and which of its ends were seen. */
  static final class Request {
    final ByMethod meters;
    final long startNanos = System.nanoTime();
    boolean requestEnded;
    boolean responseEnded;
    boolean reset;

    Request(ByMethod meters) {
      this.meters = meters;
    }
  }

  @Override
  public Request requestBegin(Object socket, HttpRequest request) {
    return begin(shared.of(request.method().name()));
  }

  /** Like Vert.x's, a pushed response is counted without its method. */
  @Override
  public Request responsePushed(Object socket, HttpMethod method, String uri, HttpResponse response) {
    return begin(shared.of(null));
  }

  private static Request begin(ByMethod meters) {
    meters.active.increment();
    return new Request(meters);
  }

  @Override
  public void requestEnd(Request request, HttpRequest ignored, long bytesRead) {
    request.meters.requestBytes().record(bytesRead);
    request.requestEnded = true;
    if (!request.reset && request.responseEnded) {
      request.meters.active.decrement();
    }
  }

  @Override
  public void responseEnd(Request request, HttpResponse response, long bytesWritten) {
    ByStatus meters = request.meters.of(response.statusCode());
    meters.requests.increment();
    meters.responseTime.record(System.nanoTime() - request.startNanos, TimeUnit.NANOSECONDS);
    meters.responseBytes.record(bytesWritten);
    request.responseEnded = true;
    if (!request.reset && request.requestEnded) {
      request.meters.active.decrement();
    }
  }

  @Override
  public void requestReset(Request request) {
    request.meters.resets().increment();
    request.meters.active.decrement();
    request.reset = true;
  }

  @Override
  public Object connected(SocketAddress remoteAddress, String remoteName) {
    return vertx.connected(remoteAddress, remoteName);
  }

  @Override
  public void disconnected(Object socket, SocketAddress remoteAddress) {
    vertx.disconnected(socket, remoteAddress);
  }

  /** Vert.x's web-socket gauge reads only the connection's tags, never the request's. */
  @Override
  public Object connected(Object socket, Request request, ServerWebSocket webSocket) {
    return vertx.connected(socket, null, webSocket);
  }

  @Override
  public void disconnected(Object webSocket) {
    vertx.disconnected(webSocket);
  }

  @Override
  public void bytesRead(Object socket, SocketAddress remoteAddress, long bytes) {
    vertx.bytesRead(socket, remoteAddress, bytes);
  }

  @Override
  public void bytesWritten(Object socket, SocketAddress remoteAddress, long bytes) {
    vertx.bytesWritten(socket, remoteAddress, bytes);
  }

  @Override
  public void exceptionOccurred(Object socket, SocketAddress remoteAddress, Throwable t) {
    vertx.exceptionOccurred(socket, remoteAddress, t);
  }

  @Override
  public void close() {
    vertx.close();
  }

  /**
   * The meters of every HTTP server of one Vertx: each server's meters have the same names and
   * tags, so they are the same meters (and one active-requests count per method, as in Vert.x).
   */
  static final class Shared {
    private static final String NO_METHOD = "";

    private final MeterRegistry registry;
    private final MetricsNaming names;
    /**
     * One entry per method seen, made once (the gauge's adder must be the one the registry kept):
     * as many as Vert.x's own implementation registers meters for.
     */
    private final ConcurrentHashMap<String, ByMethod> byMethod = new ConcurrentHashMap<>();

    /** @param names Vert.x's names with the HTTP server's base name */
    Shared(MeterRegistry registry, MetricsNaming names) {
      this.registry = registry;
      this.names = names;
    }

    ByMethod of(String method) {
      String key = method == null ? NO_METHOD : method;
      ByMethod meters = byMethod.get(key);
      return meters != null ? meters : byMethod.computeIfAbsent(key, k -> new ByMethod(this,
          method == null ? Tags.empty() : Tags.of(Label.HTTP_METHOD.toString(), method)));
    }
  }

  /** One method's meters; those of a status are made on its first response, as Vert.x registers them. */
  static final class ByMethod {
    private final Shared shared;
    private final Tags tags;
    final LongAdder active;
    private final AtomicReferenceArray<ByStatus> byStatus = new AtomicReferenceArray<>(1000);
    private volatile DistributionSummary requestBytes;
    private volatile Counter resets;

    ByMethod(Shared shared, Tags tags) {
      this.shared = shared;
      this.tags = tags;
      this.active = new LongAdder();
      Gauge.builder(shared.names.getHttpActiveRequests(), active::doubleValue)
          .description("Number of requests being processed").tags(tags).strongReference(true).register(shared.registry);
    }

    /** Vert.x registers request bytes when the first request ends, not when it begins. */
    DistributionSummary requestBytes() {
      DistributionSummary summary = requestBytes;
      if (summary == null) {
        summary = DistributionSummary.builder(shared.names.getHttpRequestBytes()).description("Size of requests in bytes")
            .tags(tags).register(shared.registry);
        requestBytes = summary;
      }
      return summary;
    }

    Counter resets() {
      Counter counter = resets;
      if (counter == null) {
        counter = Counter.builder(shared.names.getHttpRequestResetsCount()).description("Number of request resets")
            .tags(tags).register(shared.registry);
        resets = counter;
      }
      return counter;
    }

    ByStatus of(int status) {
      if (status < 0 || status >= byStatus.length()) {
        return new ByStatus(shared, tags.and(Label.HTTP_CODE.toString(), String.valueOf(status)));
      }
      ByStatus meters = byStatus.get(status);
      if (meters == null) {
        meters = new ByStatus(shared, tags.and(Label.HTTP_CODE.toString(), String.valueOf(status)));
        byStatus.compareAndSet(status, null, meters);
      }
      return meters;
    }
  }

  /** The meters of one method and status (registering them again returns the registered ones). */
  static final class ByStatus {
    final Counter requests;
    final Timer responseTime;
    final DistributionSummary responseBytes;

    ByStatus(Shared shared, Tags tags) {
      requests = Counter.builder(shared.names.getHttpRequestsCount()).description("Number of processed requests")
          .tags(tags).register(shared.registry);
      responseTime = Timer.builder(shared.names.getHttpResponseTime()).description("Request processing time")
          .tags(tags).register(shared.registry);
      responseBytes = DistributionSummary.builder(shared.names.getHttpResponseBytes())
          .description("Size of responses in bytes").tags(tags).register(shared.registry);
    }
  }
}
