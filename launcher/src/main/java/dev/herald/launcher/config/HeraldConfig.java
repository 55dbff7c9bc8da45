package dev.herald.launcher.config;

import dev.herald.ingest.SourceOptions;
import java.util.List;

/** A parsed {@code herald.yaml}, every default filled in and every secret resolved. */
public record HeraldConfig(ServerConfig server, AdminConfig admin, IngestConfig ingest, List<SourceOptions> sources,
    LogConfig log, PluginsConfig plugins, List<DestinationConfig> destinations) {

  public HeraldConfig {
    sources = List.copyOf(sources);
    destinations = List.copyOf(destinations);
  }
}
