package dev.herald.bus.router;

import dev.herald.bus.deadletter.DeadLetterStore;
import dev.herald.bus.log.EventLog;
import dev.herald.bus.log.PausedDestinations;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing verticle: deploys one {@link DestinationRunner} verticle per configured destination,
 * each with its own cursor, breaker and dead-letter store, so one slow or dead destination never
 * slows another or ingest. Deploying it starts the configured routes (all or none); undeploying
 * it stops every runner (in-flight sends drain, settled offsets commit) and closes their
 * dead-letter stores. {@link #add}, {@link #remove} and the snapshots may be called from any thread.
 */
public final class Router extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  private final EventLog log;
  private final Function<String, Future<DeadLetterStore>> deadLetterStores;
  private List<RouteSpec> routes;
  private Vertx deployOn; // only for the deprecated self-deploying start(List)
  private final Map<String, Running> running = new LinkedHashMap<>();
  private final Set<String> starting = new HashSet<>();
  private final PausedDestinations paused;
  private final Replays replays = new Replays();
  private volatile SendObserver sendObserver = SendObserver.NONE;

  private record Running(DestinationRunner runner, DeadLetterStore deadLetters, String deploymentId) {}

  /**
   * @param log the log every runner reads from
   * @param deadLetterDir where the {@code <destination id>.ndjson} dead-letter files live
   * @param routes the destinations to start with
   */
  public Router(EventLog log, Path deadLetterDir, List<RouteSpec> routes) {
    this(log, (Function<String, Future<DeadLetterStore>>) null, routes, deadLetterDir);
  }

  /**
   * @param log the log every runner reads from
   * @param deadLetterStores opens a destination's dead-letter store, by destination id
   * @param routes the destinations to start with
   */
  public Router(EventLog log, Function<String, Future<DeadLetterStore>> deadLetterStores, List<RouteSpec> routes) {
    this(log, deadLetterStores, routes, null);
  }

  private Router(EventLog log, Function<String, Future<DeadLetterStore>> deadLetterStores, List<RouteSpec> routes,
      Path deadLetterDir) {
    this.log = log;
    this.deadLetterStores = deadLetterStores != null ? deadLetterStores
        : id -> DeadLetterStore.open(vertx, deadLetterDir, id);
    this.routes = List.copyOf(routes);
    this.paused = log.pausedDestinations();
  }

  /**
   * @deprecated deploy the router as a verticle ({@link #Router(EventLog, Path, List)}); kept only
   *     until destination-amplitude's tests run plugins through the destinations test kit
   */
  @Deprecated(forRemoval = true)
  public Router(Vertx vertx, EventLog log, Path deadLetterDir) {
    this(log, deadLetterDir, List.of());
    this.deployOn = vertx;
  }

  /** @deprecated see {@link #Router(Vertx, EventLog, Path)}: deploys this router with {@code routes} */
  @Deprecated(forRemoval = true)
  public Future<Void> start(List<RouteSpec> routes) {
    this.routes = List.copyOf(routes);
    return deployOn.deployVerticle(this).mapEmpty();
  }

  /** Starts a runner per route; fails (and stops those already started) if an id repeats or any fails to start. */
  @Override
  public Future<?> start() {
    Set<String> ids = new HashSet<>();
    for (RouteSpec route : routes) {
      if (!ids.add(route.destinationId())) {
        return Future.failedFuture(new IllegalArgumentException(
            "destination id '" + route.destinationId() + "' is configured twice"));
      }
    }
    Future<Void> chain = Future.succeededFuture();
    for (RouteSpec route : routes) {
      chain = chain.compose(v -> addHere(route));
    }
    return chain.recover(e -> stopAll().transform(ignored -> Future.failedFuture(e)));
  }

  /** Stops every runner (in parallel) and closes their dead-letter stores. */
  @Override
  public Future<?> stop() {
    return stopAll();
  }

  /** Told of every runner's sends (metrics); set before deploying the router to see them all. */
  public Router observeSends(SendObserver observer) {
    this.sendObserver = observer == null ? SendObserver.NONE : observer;
    return this;
  }

  /** Starts one more destination (e.g. on a config reload). */
  public Future<Void> add(RouteSpec route) {
    return onContext(() -> addHere(route));
  }

  /** Stops one destination: it drains in-flight sends and commits what is settled. */
  public Future<Void> remove(String destinationId) {
    return onContext(() -> removeHere(destinationId));
  }

  /** A snapshot per running destination, in configuration order. */
  public synchronized List<RunnerStatus> statuses() {
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

  /**
   * Pauses a destination (it reads and sends nothing; in-flight sends finish) and records the pause
   * beside its cursor first, so it outlives a restart. Idempotent. Empty when there is no such destination.
   */
  public Future<Optional<RunnerStatus>> pause(String destinationId) {
    return setPaused(destinationId, true);
  }

  /** Undoes {@link #pause}. Idempotent. */
  public Future<Optional<RunnerStatus>> resume(String destinationId) {
    return setPaused(destinationId, false);
  }

  /** Whether an operator paused the destination (as recorded; also while it is stopped). */
  public boolean paused(String destinationId) {
    return paused.isPaused(destinationId);
  }

  private Future<Optional<RunnerStatus>> setPaused(String destinationId, boolean pause) {
    Optional<DestinationRunner> runner = runner(destinationId);
    if (runner.isEmpty()) return Future.succeededFuture(Optional.empty());
    return vertx.executeBlocking(() -> {
      paused.set(destinationId, pause);
      return null;
    }, false)
        .compose(v -> pause ? runner.get().pause() : runner.get().resume())
        .map(v -> {
          LOG.info("destination {} {} by an operator", destinationId, pause ? "paused" : "resumed");
          return Optional.of(runner.get().status());
        });
  }

  /**
   * Starts a replay of a destination's dead letters through its runner (see {@link ReplayJob});
   * completes once they are selected, with the counts (a dry run is then done). Empty when there is
   * no such destination.
   */
  public Future<Optional<ReplayProgress>> replay(String destinationId, ReplayRequest request) {
    Running r;
    synchronized (this) {
      r = running.get(destinationId);
    }
    if (r == null) return Future.succeededFuture(Optional.empty());
    DestinationRunner runner = r.runner();
    ReplayJob job = replays.create(vertx, destinationId, request, r.deadLetters(), runner,
        () -> runner(destinationId).orElse(null) != runner);
    return job.select().map(progress -> {
      if (!request.dryRun()) job.start();
      return Optional.of(progress);
    });
  }

  /** A replay's progress, while this process remembers it (the latest {@value Replays#KEPT}). */
  public Optional<ReplayProgress> replayProgress(String replayId) {
    return replays.progress(replayId);
  }

  private Future<Void> addHere(RouteSpec route) {
    String id = route.destinationId();
    synchronized (this) {
      if (running.containsKey(id) || !starting.add(id)) {
        return Future.failedFuture(new IllegalStateException("destination '" + id + "' is already running"));
      }
    }
    Future<Void> started = deadLetterStores.apply(id).compose(store -> {
      DestinationRunner runner = new DestinationRunner(route, log, store, paused.isPaused(id));
      runner.observeSends(sendObserver);
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

  private Future<Void> removeHere(String destinationId) {
    Running r;
    synchronized (this) {
      r = running.remove(destinationId);
    }
    if (r == null) {
      return Future.failedFuture(new IllegalArgumentException("no destination '" + destinationId + "'"));
    }
    // A runner is this verticle's child: when the router is undeployed Vert.x may have stopped it already.
    Future<Void> stopped = vertx.deploymentIDs().contains(r.deploymentId())
        ? vertx.undeploy(r.deploymentId()) : Future.succeededFuture();
    return stopped
        .onFailure(e -> LOG.warn("destination {} stopped with an error: {}", destinationId, e.toString()))
        .transform(ar -> r.deadLetters().close());
  }

  private Future<Void> stopAll() {
    List<String> ids;
    synchronized (this) {
      ids = new ArrayList<>(running.keySet());
    }
    List<Future<Void>> stops = new ArrayList<>();
    for (String id : ids) {
      stops.add(removeHere(id));
    }
    return Future.join(stops).mapEmpty();
  }

  /** Runs {@code action} on this verticle's context, so every runner it deploys is its child. */
  private Future<Void> onContext(java.util.function.Supplier<Future<Void>> action) {
    if (context == null) return Future.failedFuture(new IllegalStateException("the router is not deployed"));
    if (Vertx.currentContext() == context) return action.get();
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(done));
    return done.future();
  }
}
