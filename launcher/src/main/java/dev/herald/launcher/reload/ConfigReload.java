package dev.herald.launcher.reload;

import dev.herald.bus.log.PausedDestinations;
import dev.herald.bus.router.RouteSpec;
import dev.herald.launcher.RouteFactory;
import dev.herald.launcher.config.ConfigException;
import dev.herald.launcher.config.ConfigProblem;
import dev.herald.launcher.config.ConfigValidator;
import dev.herald.launcher.config.DestinationConfig;
import dev.herald.launcher.config.HeraldConfig;
import dev.herald.launcher.config.LoadedConfig;
import dev.herald.launcher.config.StartFrom;
import dev.herald.launcher.config.ValidConfig;
import dev.herald.launcher.plugins.HeraldDestinationContext;
import dev.herald.launcher.plugins.PluginCatalog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/reload} and SIGHUP: re-reads the config (file, connectors, secrets file),
 * loads plugin files added to the plugins folder, validates everything, and only then applies
 * the difference: sources swapped, removed destinations stopped and their cursors dropped,
 * changed ones restarted on their cursor, added ones started (at the log's end unless
 * {@code startFrom: earliest}), unchanged ones untouched. A config that has problems, or that
 * changes a setting only a restart can change, changes nothing. One reload at a time.
 */
public final class ConfigReload {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigReload.class);

  /** The HTTP status and JSON body of a reload's outcome. */
  public record Answer(int status, JsonObject body) {}

  private record Prepared(HeraldConfig next, ReloadPlan plan, RouteFactory.Built built, List<String> pluginsLoaded) {}

  private final ReloadTarget herald;
  private final Supplier<LoadedConfig> source;
  private final AtomicBoolean busy = new AtomicBoolean();

  /** @param source re-reads the config; blocking, called on a worker thread */
  public ConfigReload(ReloadTarget herald, Supplier<LoadedConfig> source) {
    this.herald = herald;
    this.source = source;
  }

  /** Runs one reload; never fails (a failure is an answer). */
  public Future<Answer> run() {
    if (herald.stopping()) return Future.succeededFuture(error(503, "stopping", "Herald is stopping"));
    if (source == null) {
      return Future.succeededFuture(error(400, "no_config_file", "this Herald was not started from a config file"));
    }
    if (!busy.compareAndSet(false, true)) {
      return Future.succeededFuture(error(409, "reload_in_progress", "another reload is running; try again when it is done"));
    }
    HeraldConfig running = herald.config();
    return herald.vertx().executeBlocking(() -> prepare(running), false)
        .compose(prepared -> prepared instanceof Answer a ? Future.succeededFuture(a) : apply((Prepared) prepared))
        .recover(e -> {
          LOG.error("Config reload failed", e);
          return Future.succeededFuture(error(500, "reload_failed", "the reload failed: " + e.getMessage()));
        })
        .andThen(ar -> busy.set(false));
  }

  /** Blocking: reads, loads new plugins, validates, plans and creates the new destinations. An Answer when refused. */
  private Object prepare(HeraldConfig running) {
    LoadedConfig loaded = source.get();
    PluginCatalog plugins = herald.plugins();
    PluginCatalog.Refresh refresh = plugins.refresh();
    ValidConfig valid;
    try {
      valid = ConfigValidator.validate(loaded, plugins);
    } catch (ConfigException e) {
      return invalid(e.problems());
    }
    HeraldConfig next = loaded.config();
    ReloadPlan plan = ReloadPlan.of(running, next);
    if (!plan.applicable()) {
      JsonObject body = new JsonObject().put("success", false).put("reloaded", false).put("code", "restart_required")
          .put("message", "these settings change only with a restart; nothing was reloaded: "
              + String.join(", ", plan.restartRequired()))
          .put("restartRequired", new JsonArray(plan.restartRequired()));
      return new Answer(400, body);
    }
    Set<String> starting = new HashSet<>(plan.added());
    starting.addAll(plan.changed());
    try {
      return new Prepared(next, plan, RouteFactory.create(herald.vertx(), valid, starting, herald.metrics()), refresh.loaded());
    } catch (ConfigException e) {
      return invalid(e.problems());
    } catch (IllegalStateException e) {
      return invalid(List.of(new ConfigProblem("destinations", e.getMessage())));
    }
  }

  private Future<Answer> apply(Prepared p) {
    ReloadPlan plan = p.plan();
    herald.ingest().updateSources(p.next().sources());
    List<String> stopping = new ArrayList<>(plan.removed());
    stopping.addAll(plan.changed());
    Map<String, String> failed = new TreeMap<>();
    Future<Void> stopped = Future.join(stopping.stream().map(id -> herald.router().remove(id)
        .onFailure(e -> LOG.warn("Reload: destination {} stopped with an error: {}", id, e.toString()))
        .andThen(ar -> {
          if (herald.destinationMeters() != null) herald.destinationMeters().unbind(id);
          HeraldDestinationContext context = herald.contexts().remove(id);
          if (context != null) context.close();
        })).toList()).mapEmpty();
    Set<String> keep = p.next().destinations().stream().map(DestinationConfig::id).collect(Collectors.toSet());
    return stopped
        .transform(ar -> forgetPauses(plan.removed()))
        // After they stopped: a consumer with an open subscription keeps its position.
        .transform(ar -> herald.log().retainCursors(keep).recover(e -> {
          LOG.warn("Reload: could not drop the positions of removed destinations: {}", e.toString());
          return Future.succeededFuture(Set.of());
        }))
        .transform(ar -> start(p, failed))
        .transform(ar -> tls(p.next()))
        .compose(tlsProblem -> unloadRemovedPlugins(p.next()).map(unloaded -> {
          List<DestinationConfig> applied = p.next().destinations().stream().filter(d -> !failed.containsKey(d.id())).toList();
          HeraldConfig n = p.next();
          herald.config(new HeraldConfig(n.server(), n.admin(), n.ingest(), n.sources(), n.log(), n.plugins(), applied,
              n.deadLetters()));
          return answer(plan, p.pluginsLoaded(), unloaded, failed, tlsProblem);
        }));
  }

  private Future<List<String>> unloadRemovedPlugins(HeraldConfig next) {
    Set<String> types = next.destinations().stream().map(DestinationConfig::type).collect(Collectors.toSet());
    return herald.vertx().executeBlocking(() -> herald.plugins().unloadRemoved(types), false);
  }

  /** A removed destination's pause goes with its cursor: added again later, it starts unpaused. */
  private Future<Void> forgetPauses(List<String> removed) {
    if (removed.isEmpty()) return Future.succeededFuture();
    PausedDestinations paused = herald.log().pausedDestinations();
    return herald.vertx().<Void>executeBlocking(() -> {
      for (String id : removed) paused.set(id, false);
      return null;
    }, false).recover(e -> {
      LOG.warn("Reload: could not forget the pauses of removed destinations: {}", e.toString());
      return Future.succeededFuture();
    });
  }

  /** Starts the added and changed destinations one after another; failures are collected, not fatal. */
  private Future<Void> start(Prepared p, Map<String, String> failed) {
    Map<String, DestinationConfig> configs = new TreeMap<>();
    p.next().destinations().forEach(d -> configs.put(d.id(), d));
    Future<Void> chain = Future.succeededFuture();
    for (RouteSpec route : p.built().routes()) {
      String id = route.destinationId();
      boolean added = p.plan().added().contains(id);
      HeraldDestinationContext context = p.built().contexts().get(id);
      chain = chain.transform(ignored -> {
        Future<Boolean> positioned = added && configs.get(id).startFrom() != StartFrom.EARLIEST
            ? herald.log().startAtEnd(id) : Future.succeededFuture(false);
        return positioned.compose(v -> herald.router().add(route)).transform(ar -> {
          if (ar.succeeded()) {
            herald.contexts().put(id, context);
            if (herald.destinationMeters() != null) herald.destinationMeters().bind(id);
          } else {
            LOG.error("Reload: destination {} did not start: {}", id, ar.cause().toString());
            failed.put(id, String.valueOf(ar.cause().getMessage()));
            context.close();
          }
          return Future.<Void>succeededFuture();
        });
      });
    }
    return chain;
  }

  /** Null, or why the TLS certificate could not be re-read (the current one stays). */
  private Future<String> tls(HeraldConfig next) {
    if (next.server().tls() == null) return Future.succeededFuture(null);
    return herald.reloadIngestTls().map((String) null).recover(e -> {
      LOG.warn("Reload: the ingest TLS certificate was not re-read: {}", e.getMessage());
      return Future.succeededFuture(e.getMessage());
    });
  }

  private static Answer answer(ReloadPlan plan, List<String> loaded, List<String> unloaded, Map<String, String> failed,
      String tlsProblem) {
    JsonObject body = new JsonObject()
        .put("reloaded", failed.isEmpty())
        .put("added", new JsonArray(plan.added()))
        .put("removed", new JsonArray(plan.removed()))
        .put("changed", new JsonArray(plan.changed()))
        .put("unchanged", new JsonArray(plan.unchanged()))
        .put("sources", new JsonObject().put("added", new JsonArray(plan.sourcesAdded()))
            .put("removed", new JsonArray(plan.sourcesRemoved())).put("changed", new JsonArray(plan.sourcesChanged())))
        .put("plugins", new JsonObject().put("loaded", new JsonArray(loaded)).put("unloaded", new JsonArray(unloaded)));
    if (tlsProblem != null) body.put("tlsProblem", tlsProblem);
    if (!failed.isEmpty()) {
      JsonArray list = new JsonArray();
      failed.forEach((id, why) -> list.add(new JsonObject().put("id", id).put("error", why)));
      body.put("failed", list);
    }
    LOG.info("Config reloaded: added {}, removed {}, changed {}, {} unchanged; sources added {}, removed {}, changed {}; "
        + "plugins loaded {}, unloaded {}{}", plan.added(), plan.removed(), plan.changed(), plan.unchanged().size(),
        plan.sourcesAdded(), plan.sourcesRemoved(), plan.sourcesChanged(), loaded, unloaded,
        failed.isEmpty() ? "" : "; failed to start: " + failed.keySet());
    return new Answer(failed.isEmpty() ? 200 : 500, body);
  }

  private static Answer invalid(List<ConfigProblem> problems) {
    JsonArray list = new JsonArray();
    problems.forEach(p -> list.add(new JsonObject().put("path", p.path()).put("message", p.message())));
    LOG.warn("Config reload refused, nothing changed: {}", new ConfigException(problems).getMessage());
    return new Answer(400, new JsonObject().put("success", false).put("reloaded", false).put("code", "invalid_config")
        .put("message", problems.size() + " problem(s) in the new config; nothing was reloaded").put("problems", list));
  }

  private static Answer error(int status, String code, String message) {
    return new Answer(status, new JsonObject().put("success", false).put("reloaded", false).put("code", code)
        .put("message", message));
  }
}
