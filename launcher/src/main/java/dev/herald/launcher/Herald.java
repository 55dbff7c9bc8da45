package dev.herald.launcher;

import dev.herald.bus.log.EventLog;
import dev.herald.bus.log.embedded.EmbeddedEventLog;
import dev.herald.bus.log.kafka.KafkaEventLog;
import dev.herald.bus.router.RouteSpec;
import dev.herald.bus.router.Router;
import dev.herald.bus.router.RunnerStatus;
import dev.herald.ingest.DedupOptions;
import dev.herald.ingest.IngestOptions;
import dev.herald.ingest.ServerOptions;
import dev.herald.ingest.IngestState;
import dev.herald.ingest.IngestVerticle;
import dev.herald.ingest.JsonLimits;
import dev.herald.launcher.config.IngestConfig;
import dev.herald.launcher.admin.AdminBackend;
import dev.herald.launcher.admin.AdminVerticle;
import dev.herald.launcher.admin.DestinationJson;
import dev.herald.launcher.admin.IngestTapSource;
import dev.herald.launcher.admin.TapSource;
import dev.herald.launcher.admin.TraceBook;
import dev.herald.launcher.admin.DestinationOperations;
import dev.herald.launcher.config.ConfigValidator;
import dev.herald.launcher.config.DestinationConfig;
import dev.herald.launcher.config.HeraldConfig;
import dev.herald.launcher.config.LoadedConfig;
import dev.herald.launcher.config.PendingSettings;
import dev.herald.launcher.plugins.HeraldDestinationContext;
import dev.herald.launcher.metrics.DestinationMeters;
import dev.herald.launcher.metrics.HeraldMetrics;
import dev.herald.launcher.plugins.PluginCatalog;
import dev.herald.launcher.admin.ReloadRoute;
import dev.herald.launcher.config.StartFrom;
import dev.herald.launcher.reload.ConfigReload;
import dev.herald.launcher.reload.ReloadTarget;
import dev.herald.bus.router.DestinationRunner;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Herald: the event log, the plugins, one runner per destination, the ingest API
 * and the admin API, started in that order and stopped in reverse so that nothing accepted
 * is lost: ingest stops taking requests first, the router commits what is settled, the log
 * closes last.
 */
public final class Herald {

  private static final Logger LOG = LoggerFactory.getLogger(Herald.class);

  private final Vertx vertx;
  private volatile HeraldConfig config;
  private final HeraldMetrics metrics;
  private DestinationMeters destinationMeters;
  private final Map<String, HeraldDestinationContext> contexts = new ConcurrentHashMap<>();
  private final List<IngestVerticle> ingestInstances = new CopyOnWriteArrayList<>();
  private PluginCatalog plugins;
  private EventLog log;
  private Router router;
  private String routerDeployment;
  private final List<String> ingestDeployments = new ArrayList<>();
  private IngestState ingestState;
  private AdminVerticle admin;
  /** Recent outcomes per messageId, for the trace and the status page. */
  private final TraceBook traceBook;
  private String adminDeployment;
  private volatile boolean ready;
  private volatile Future<Void> stopping;
  private final ConfigReload reload;

  private Herald(Vertx vertx, HeraldConfig config, PrometheusMeterRegistry registry, Supplier<LoadedConfig> source) {
    this.vertx = vertx;
    this.config = config;
    this.metrics = new HeraldMetrics(registry);
    this.traceBook = new TraceBook(config.admin().traceWindow());
    this.reload = new ConfigReload(new Parts(), source);
  }

  /**
   * Validates {@code loaded} against the plugins of its plugins folder (loaded on a worker
   * thread), then starts everything. Fails with a {@link dev.herald.launcher.config.ConfigException}
   * listing every problem, or with the cause of a failed start (after undoing what started).
   */
  public static Future<Herald> start(Vertx vertx, LoadedConfig loaded) {
    return start(vertx, loaded, HeraldMetrics.newRegistry());
  }

  /**
   * As {@link #start(Vertx, LoadedConfig)}, with Herald's meters in {@code registry}: the one
   * {@code vertx} reports to when made by {@link HeraldMetrics#vertx}, so {@code /metrics} shows both.
   */
  public static Future<Herald> start(Vertx vertx, LoadedConfig loaded, PrometheusMeterRegistry registry) {
    return start(vertx, loaded, registry, null);
  }

  /**
   * As {@link #start(Vertx, LoadedConfig, PrometheusMeterRegistry)}; {@code source} re-reads the
   * config on a reload ({@link #reload()}; blocking, run on a worker thread), null when there is
   * nothing to re-read.
   */
  public static Future<Herald> start(Vertx vertx, LoadedConfig loaded, PrometheusMeterRegistry registry,
      Supplier<LoadedConfig> source) {
    Herald herald = new Herald(vertx, loaded.config(), registry, source);
    return herald.startAll(loaded).transform(ar -> {
      if (ar.succeeded()) return Future.succeededFuture(herald);
      return herald.stop().transform(ignored -> Future.failedFuture(ar.cause()));
    });
  }

  private Future<Void> startAll(LoadedConfig loaded) {
    PendingSettings.describe(config).forEach(LOG::warn);
    return vertx.executeBlocking(() -> {
      plugins = PluginCatalog.load(config.plugins().dir());
      return ConfigValidator.validate(loaded, plugins);
    }, false).compose(valid -> {
      List<RouteSpec> routes;
      try {
        RouteFactory.Built built = RouteFactory.create(vertx, valid, null, metrics);
        contexts.putAll(built.contexts());
        routes = built.routes();
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
      return openLog().compose(openedLog -> startAtEnd(openedLog).map(openedLog)).compose(openedLog -> {
        log = openedLog;
        router = new Router(log, id -> openedLog.openDeadLetters(id, config.deadLetters()), routes)
            .observeSends(metrics.sends());
        router.observe(traceBook);
        return vertx.deployVerticle(router).onSuccess(id -> {
          routerDeployment = id;
          bindDestinationMeters(routes);
        }).mapEmpty();
      });
    })
        .compose(v -> startIngest())
        .compose(v -> startAdmin())
        .onSuccess(v -> {
          ready = true;
          LOG.info("Herald {} started: ingest on {}:{}, admin on {}:{}, {} destination(s)", HeraldVersion.version(),
              config.server().host(), ingestPort(), config.admin().host(), adminPort(), config.destinations().size());
        });
  }

  /** Each destination's meters read its runner's counters; the log reports what retention and damage cost each. */
  private void bindDestinationMeters(List<RouteSpec> routes) {
    EventLog l = log;
    destinationMeters = new DestinationMeters(metrics,
        id -> router.runner(id).map(DestinationRunner::status).orElse(null), l::retentionLosses, l::damageLosses);
    routes.forEach(r -> destinationMeters.bind(r.destinationId()));
  }

  /**
   * The embedded log in {@code log.dir}, or Kafka; each keeps the dead letters beside its events.
   * Positions of destinations no longer configured are dropped (logged), so they hold back nothing.
   */
  private Future<EventLog> openLog() {
    Future<EventLog> opened = config.log().type() == dev.herald.launcher.config.LogConfig.Type.KAFKA
        // Which destinations an operator paused is kept on this node's disk, under log.dir/state.
        ? KafkaEventLog.open(vertx, config.log().kafka(), config.log().dir().resolve("state")).map(kafka -> kafka)
        : EmbeddedEventLog.open(vertx, config.log().embeddedOptions()).map(embedded -> embedded);
    return opened.compose(l -> l.retainCursors(new HashSet<>(config.destinations().stream()
        .map(DestinationConfig::id).toList())).transform(dropped -> {
          if (dropped.failed()) LOG.warn("Could not drop the positions of removed destinations: {}", dropped.cause().toString());
          return Future.succeededFuture(l);
        }));
  }

  /** Destinations with {@code startFrom: end} and no position yet start at the log's end. */
  private Future<Void> startAtEnd(EventLog opened) {
    return Future.all(config.destinations().stream().filter(d -> d.startFrom() == StartFrom.END)
        .map(d -> opened.startAtEnd(d.id())).toList()).mapEmpty();
  }

  private Future<Void> startIngest() {
    IngestOptions options = ingestOptions(config);
    // Port 0 (tests) runs one instance: instances only share a port they all name.
    int instances = options.port() == 0 ? 1 : Math.max(1, Runtime.getRuntime().availableProcessors());
    return IngestState.open(vertx, options).compose(state -> {
      ingestState = state;
      return deployIngest(options, instances);
    });
  }

  /** The ingest API's settings: server, ingest and sources, with the dedup state kept beside the log. */
  static IngestOptions ingestOptions(HeraldConfig config) {
    IngestConfig ingest = config.ingest();
    return new IngestOptions(config.server().host(), config.server().port(), ingest.maxEventBytes(),
        ingest.maxRequestBytes(), ingest.maxBatchEvents(), config.sources(),
        new JsonLimits(ingest.maxJsonDepth(), ingest.maxStringLength(), ingest.maxNumberLength()),
        config.server().trustProxy(), config.server().corsOrigins(),
        new DedupOptions(ingest.dedupWindow(), ingest.dedupMaxEntries(), config.log().dir().resolve("ingest")),
        new ServerOptions(config.server().tls(), config.server().requestReadTimeout()));
  }

  private Future<Void> deployIngest(IngestOptions options, int instances) {
    Supplier<IngestVerticle> factory = () -> {
      IngestVerticle v = new IngestVerticle(options, log, ingestState, metrics.ingest());
      ingestInstances.add(v);
      return v;
    };
    return vertx.deployVerticle(factory, new DeploymentOptions().setInstances(instances))
        .onSuccess(ingestDeployments::add)
        .mapEmpty();
  }

  private Future<Void> startAdmin() {
    admin = new AdminVerticle(config.admin().host(), config.admin().port(), config.admin().token(), new Backend());
    return vertx.deployVerticle(admin).onSuccess(id -> adminDeployment = id).mapEmpty();
  }

  /**
   * Re-reads {@code server.tls}'s certificate and key into every ingest instance (new
   * connections get them; open ones keep theirs). Fails when they cannot be read, leaving the
   * current certificate in place.
   */
  public Future<Void> reloadIngestTls() {
    return Future.all(ingestInstances.stream().map(IngestVerticle::reloadTls).toList()).mapEmpty();
  }

  /**
   * Re-reads the config and applies what changed (see {@link ConfigReload}); never fails: the
   * outcome carries the HTTP status and answer of {@code POST /admin/reload}.
   */
  public Future<ConfigReload.Answer> reload() {
    return reload.run();
  }

  /** The port ingest listens on. */
  public int ingestPort() {
    return ingestInstances.isEmpty() ? -1 : ingestInstances.get(0).actualPort();
  }

  /** The port the admin API listens on. */
  public int adminPort() {
    return admin == null || adminDeployment == null ? -1 : admin.actualPort();
  }

  public HeraldConfig config() {
    return config;
  }

  /** Herald's meters (what {@code GET /metrics} shows). */
  public HeraldMetrics metrics() {
    return metrics;
  }

  /** Per-destination meters, to bind and unbind as destinations come and go; null before the router runs. */
  public DestinationMeters destinationMeters() {
    return destinationMeters;
  }

  /** The event log (tests). */
  EventLog log() {
    return log;
  }

  /** The running router (status and dead letters per destination). */
  public Router router() {
    return router;
  }

  public boolean ready() {
    return ready;
  }

  /**
   * Stops in the order that loses nothing: ingest (no new requests, then its dedup state is
   * saved), the router (in-flight
   * sends drain, settled offsets commit), the log, the destinations' clients, the plugins and
   * the admin API. Safe to call more than once.
   */
  public synchronized Future<Void> stop() {
    if (stopping != null) return stopping;
    ready = false;
    LOG.info("Herald stopping");
    stopping = undeployAll(ingestDeployments)
        .transform(ar -> ingestState == null ? Future.<Void>succeededFuture() : logged(ingestState.close(), "dedup state"))
        .transform(ar -> routerDeployment == null ? Future.<Void>succeededFuture()
            : logged(vertx.undeploy(routerDeployment), "router"))
        .transform(ar -> log == null ? Future.<Void>succeededFuture() : logged(log.close(), "event log"))
        .transform(ar -> {
          contexts.values().forEach(HeraldDestinationContext::close);
          if (plugins == null) return Future.<Void>succeededFuture();
          return logged(vertx.executeBlocking(() -> {
            plugins.close();
            return null;
          }, false).mapEmpty(), "plugins");
        })
        .transform(ar -> adminDeployment == null ? Future.<Void>succeededFuture()
            : logged(vertx.undeploy(adminDeployment), "admin API"))
        .onComplete(ar -> {
          metrics.close();
          LOG.info("Herald stopped");
        });
    return stopping;
  }

  private Future<Void> undeployAll(List<String> deployments) {
    List<Future<Void>> all = new ArrayList<>();
    for (String id : deployments) all.add(logged(vertx.undeploy(id), "ingest"));
    return Future.join(all).mapEmpty();
  }

  private static Future<Void> logged(Future<Void> step, String what) {
    return step.recover(e -> {
      LOG.warn("Stopping the {} failed: {}", what, e.toString());
      return Future.succeededFuture();
    });
  }

  /** What a reload changes. */
  private final class Parts implements ReloadTarget {
    @Override public Vertx vertx() { return vertx; }
    @Override public HeraldConfig config() { return config; }
    @Override public void config(HeraldConfig applied) { config = applied; }
    @Override public PluginCatalog plugins() { return plugins; }
    @Override public Router router() { return router; }
    @Override public EventLog log() { return log; }
    @Override public IngestState ingest() { return ingestState; }
    @Override public HeraldMetrics metrics() { return metrics; }
    @Override public DestinationMeters destinationMeters() { return destinationMeters; }
    @Override public Map<String, HeraldDestinationContext> contexts() { return contexts; }
    @Override public Future<Void> reloadIngestTls() { return Herald.this.reloadIngestTls(); }
    @Override public boolean stopping() { return stopping != null; }
  }

  /** The admin API's view of this Herald. */
  private final class Backend implements AdminBackend {

    @Override
    public boolean ready() {
      return ready;
    }

    @Override
    public Future<JsonArray> destinations() {
      JsonArray out = new JsonArray();
      if (router != null) router.statuses().forEach(s -> out.add(DestinationJson.of(s, router, traceBook)));
      return Future.succeededFuture(out);
    }

    @Override
    public Future<ReloadRoute.Outcome> reload() {
      return reload.run().map(a -> new ReloadRoute.Outcome(a.status(), a.body()));
    }

    @Override
    public DestinationOperations operations() {
      return DestinationOperations.of(() -> router);
    }

    @Override
    public Future<JsonArray> plugins() {
      return Future.succeededFuture(plugins == null ? new JsonArray() : plugins.describe());
    }

    @Override
    public PrometheusMeterRegistry meterRegistry() {
      return metrics.registry();
    }

    @Override
    public TraceBook traceBook() {
      return traceBook;
    }

    @Override
    public JsonObject ingest() {
      JsonArray sources = new JsonArray();
      if (ingestState != null) ingestState.counts().snapshot().forEach((id, c) -> sources.add(new JsonObject()
          .put("id", id).put("accepted", c.accepted()).put("rejected", c.rejected())));
      return new JsonObject().put("sources", sources);
    }

    @Override
    public TapSource tapSource() {
      return new IngestTapSource(() -> ingestState, () -> router);
    }
  }
}
