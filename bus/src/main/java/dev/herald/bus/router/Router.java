package dev.herald.bus.router;

import dev.herald.bus.deadletter.DeadLetterStore;
import dev.herald.bus.log.EventLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link DestinationRunner} per configured destination, each deployed as its own verticle
 * with its own cursor, breaker and dead-letter store, so one slow or dead destination never slows
 * another or ingest.
 */
public final class Router {

  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  private final Vertx vertx;
  private final EventLog log;
  private final Path deadLetterDir;
  private final Map<String, Running> running = new LinkedHashMap<>();
  private final Set<String> starting = new HashSet<>();

  private record Running(DestinationRunner runner, DeadLetterStore deadLetters, String deploymentId) {}

  /**
   * @param vertx the Vert.x instance the runners deploy on
   * @param log the log every runner reads from
   * @param deadLetterDir where the {@code <destination id>.ndjson} dead-letter files live
   */
  public Router(Vertx vertx, EventLog log, Path deadLetterDir) {
    this.vertx = vertx;
    this.log = log;
    this.deadLetterDir = deadLetterDir;
  }

  /**
   * Starts a runner per route. Fails (and stops those already started) if an id repeats or any
   * destination fails to start.
   */
  public Future<Void> start(List<RouteSpec> routes) {
    Set<String> ids = new HashSet<>();
    for (RouteSpec route : routes) {
      if (!ids.add(route.destinationId())) {
        return Future.failedFuture(new IllegalArgumentException(
            "destination id '" + route.destinationId() + "' is configured twice"));
      }
    }
    Future<Void> chain = Future.succeededFuture();
    for (RouteSpec route : routes) {
      chain = chain.compose(v -> add(route));
    }
    return chain.recover(e -> stop().transform(ignored -> Future.failedFuture(e)));
  }

  /** Starts one more destination (e.g. on a config reload). */
  public Future<Void> add(RouteSpec route) {
    String id = route.destinationId();
    synchronized (this) {
      if (running.containsKey(id) || !starting.add(id)) {
        return Future.failedFuture(new IllegalStateException("destination '" + id + "' is already running"));
      }
    }
    Future<Void> started = DeadLetterStore.open(vertx, deadLetterDir, id).compose(store -> {
      DestinationRunner runner = new DestinationRunner(route, log, store);
      return vertx.deployVerticle(runner)
          .onSuccess(deploymentId -> {
            synchronized (this) {
              running.put(id, new Running(runner, store, deploymentId));
            }
            LOG.info("destination {} ({}) started", id, route.type());
          })
          .recover(e -> store.close().transform(ignored -> Future.failedFuture(
              new IllegalStateException("destination '" + id + "' failed to start: " + e.getMessage(), e))))
          .mapEmpty();
    });
    return started.andThen(ar -> {
      synchronized (this) {
        starting.remove(id);
      }
    });
  }

  /** Stops one destination: it drains in-flight sends and commits what is settled. */
  public Future<Void> remove(String destinationId) {
    Running r;
    synchronized (this) {
      r = running.remove(destinationId);
    }
    if (r == null) {
      return Future.failedFuture(new IllegalArgumentException("no destination '" + destinationId + "'"));
    }
    return vertx.undeploy(r.deploymentId())
        .onFailure(e -> LOG.warn("destination {} stopped with an error: {}", destinationId, e.toString()))
        .transform(ar -> r.deadLetters().close());
  }

  /** Stops every runner (in parallel). */
  public Future<Void> stop() {
    List<String> ids;
    synchronized (this) {
      ids = new ArrayList<>(running.keySet());
    }
    List<Future<Void>> stops = new ArrayList<>();
    for (String id : ids) {
      stops.add(remove(id));
    }
    return Future.join(stops).mapEmpty();
  }

  /** A snapshot per running destination, in configuration order. */
  public synchronized List<RunnerStatus> status() {
    List<RunnerStatus> result = new ArrayList<>(running.size());
    for (Running r : running.values()) {
      result.add(r.runner().status());
    }
    return result;
  }

  public synchronized Optional<DestinationRunner> runner(String destinationId) {
    Running r = running.get(destinationId);
    return r == null ? Optional.empty() : Optional.of(r.runner());
  }

  public synchronized Optional<DeadLetterStore> deadLetters(String destinationId) {
    Running r = running.get(destinationId);
    return r == null ? Optional.empty() : Optional.of(r.deadLetters());
  }
}
