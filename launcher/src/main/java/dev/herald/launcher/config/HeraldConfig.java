package dev.herald.launcher.config;

import dev.herald.bus.deadletter.DeadLetterRetention;
import dev.herald.ingest.SourceOptions;
import java.util.List;

/** A parsed {@code herald.yaml}, every default filled in and every secret resolved. */
public record HeraldConfig(ServerConfig server, AdminConfig admin, IngestConfig ingest, List<SourceOptions> sources,
    LogConfig log, PluginsConfig plugins, List<DestinationConfig> destinations, DeadLetterRetention deadLetters) {

  public HeraldConfig {
    sources = List.copyOf(sources);
    destinations = List.copyOf(destinations);
    if (deadLetters == null) deadLetters = DeadLetterRetention.DEFAULT;
  }

  /** With the default dead-letter retention. */
  public HeraldConfig(ServerConfig server, AdminConfig admin, IngestConfig ingest, List<SourceOptions> sources,
      LogConfig log, PluginsConfig plugins, List<DestinationConfig> destinations) {
    this(server, admin, ingest, sources, log, plugins, destinations, null);
  }
}
