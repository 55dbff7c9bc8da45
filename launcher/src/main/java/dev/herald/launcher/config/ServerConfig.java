package dev.herald.launcher.config;

import dev.herald.ingest.ServerOptions;
import dev.herald.ingest.TlsOptions;
import java.time.Duration;
import java.util.List;

/**
 * {@code server:} the ingest HTTP listener.
 *
 * @param tls the PEM files to serve HTTPS with, or null for plain HTTP
 * @param requestReadTimeout how long a request may take to arrive completely
 */
public record ServerConfig(String host, int port, boolean trustProxy, List<String> corsOrigins, TlsOptions tls,
    Duration requestReadTimeout) {

  public static final ServerConfig DEFAULT = new ServerConfig("0.0.0.0", 8080, false, List.of(), null,
      ServerOptions.DEFAULT_REQUEST_READ_TIMEOUT);

  public ServerConfig {
    corsOrigins = List.copyOf(corsOrigins);
  }

  /** Plain HTTP with the default request read timeout. */
  public ServerConfig(String host, int port, boolean trustProxy, List<String> corsOrigins) {
    this(host, port, trustProxy, corsOrigins, null, ServerOptions.DEFAULT_REQUEST_READ_TIMEOUT);
  }
}
