package dev.herald.ingest;

import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code server.tls}: the PEM certificate chain and private key ingest serves HTTPS with. The
 * files are read at start and again by {@link IngestVerticle#reloadTls()} (and when they change
 * on disk), so a renewed certificate is taken without a restart.
 */
public record TlsOptions(Path certFile, Path keyFile) {

  public TlsOptions {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
  }

  /**
   * Why the files cannot be served (naming the setting and the file), or null when they can.
   * Reads them: call off the event loop.
   */
  public String problem() {
    return TlsSupport.problem(this);
  }
}
