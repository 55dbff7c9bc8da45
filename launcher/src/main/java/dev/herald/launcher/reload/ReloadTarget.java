package dev.herald.launcher.reload;

import dev.herald.bus.log.EventLog;
import dev.herald.bus.router.Router;
import dev.herald.ingest.IngestState;
import dev.herald.launcher.config.HeraldConfig;
import dev.herald.launcher.metrics.DestinationMeters;
import dev.herald.launcher.metrics.HeraldMetrics;
import dev.herald.launcher.plugins.HeraldDestinationContext;
import dev.herald.launcher.plugins.PluginCatalog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;

/** The parts of a running Herald a config reload changes. */
public interface ReloadTarget {

  Vertx vertx();

  /** The config in force. */
  HeraldConfig config();

  /** Puts a reloaded config in force. */
  void config(HeraldConfig applied);

  PluginCatalog plugins();

  Router router();

  EventLog log();

  IngestState ingest();

  HeraldMetrics metrics();

  /** Per-destination meters: unbound when a destination stops, bound when it starts. */
  DestinationMeters destinationMeters();

  /** Each running destination's context, by id: closed once its destination has stopped. */
  Map<String, HeraldDestinationContext> contexts();

  /** Re-reads the ingest TLS certificate and key. */
  Future<Void> reloadIngestTls();

  /** True once stopping has begun. */
  boolean stopping();
}
