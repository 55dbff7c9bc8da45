package dev.herald.launcher.config;

import java.util.List;

/** A parsed {@code herald.yaml}, every default filled in and every secret resolved. */
public record HeraldConfig(ServerConfig server, AdminConfig admin, IngestConfig ingest, List<SourceConfig> sources,
    LogConfig log, PluginsConfig plugins, List<DestinationConfig> destinations) {

  public HeraldConfig {
    sources = List.copyOf(sources);
    destinations = List.copyOf(destinations);
  }
}
