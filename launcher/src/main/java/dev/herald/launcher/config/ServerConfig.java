package dev.herald.launcher.config;

import java.util.List;

/** {@code server:} the ingest HTTP listener. */
public record ServerConfig(String host, int port, boolean trustProxy, List<String> corsOrigins) {

  public static final ServerConfig DEFAULT = new ServerConfig("0.0.0.0", 8080, false, List.of());

  public ServerConfig {
    corsOrigins = List.copyOf(corsOrigins);
  }
}
