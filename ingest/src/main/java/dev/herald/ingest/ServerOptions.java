package dev.herald.ingest;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the ingest listener beyond its address ({@code server:} in herald.yaml).
 *
 * @param tls the certificate and key to serve HTTPS (and HTTP/2) with, or null for plain HTTP
 * @param requestReadTimeout how long a request may take to arrive completely, head and body;
 *     past it the request is answered {@code 408} and its connection closed (the idle timeout
 *     alone would let a client trickle one byte at a time forever)
 */
public record ServerOptions(TlsOptions tls, Duration requestReadTimeout) {

  public static final Duration DEFAULT_REQUEST_READ_TIMEOUT = Duration.ofSeconds(30);
  public static final ServerOptions DEFAULTS = new ServerOptions(null, DEFAULT_REQUEST_READ_TIMEOUT);

  public ServerOptions {
    Objects.requireNonNull(requestReadTimeout, "requestReadTimeout");
    if (requestReadTimeout.isNegative() || requestReadTimeout.isZero()) {
      throw new IllegalArgumentException("server requestReadTimeout must be positive, got " + requestReadTimeout);
    }
  }

  public ServerOptions withTls(TlsOptions newTls) {
    return new ServerOptions(newTls, requestReadTimeout);
  }

  public ServerOptions withRequestReadTimeout(Duration timeout) {
    return new ServerOptions(tls, timeout);
  }
}
