package dev.herald.ingest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS for ingest: reads the PEM files (off the event loop), checks they hold what they
 * should, and swaps them into the running server with {@link HttpServer#updateSSLOptions} when
 * asked ({@link IngestVerticle#reloadTls()}) or when either file changes on disk, so a renewed
 * certificate is served without a restart and without dropping a connection.
 */
final class TlsSupport {

  private static final Logger LOG = LoggerFactory.getLogger(TlsSupport.class);
  /** How often the files are checked for a change. */
  static final Duration WATCH_INTERVAL = Duration.ofSeconds(30);

  /** The files' contents, and when they were last modified (to notice a change). */
  record Pem(Buffer cert, Buffer key, List<FileTime> stamps) {}

  private final Vertx vertx;
  private final TlsOptions tls;
  private HttpServer server;
  private ServerSSLOptions sslOptions;
  private List<FileTime> loadedStamps;
  private long watchTimer = -1;

  TlsSupport(Vertx vertx, TlsOptions tls) {
    this.vertx = vertx;
    this.tls = tls;
  }

  /** Reads and checks both files; the failure names the file and what is wrong with it. */
  static Pem read(TlsOptions tls) throws IOException {
    Buffer cert = Buffer.buffer(readPem(tls.certFile(), "server.tls.certFile", "CERTIFICATE"));
    Buffer key = Buffer.buffer(readPem(tls.keyFile(), "server.tls.keyFile", "PRIVATE KEY"));
    return new Pem(cert, key, List.of(Files.getLastModifiedTime(tls.certFile()),
        Files.getLastModifiedTime(tls.keyFile())));
  }

  /** Why the TLS files cannot be served, or null when they can (for the launcher's config check). */
  static String problem(TlsOptions tls) {
    try {
      read(tls);
      return null;
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  private static byte[] readPem(Path file, String setting, String label) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(setting + ": no such file: " + file);
    }
    if (!Files.isReadable(file)) {
      throw new IOException(setting + ": cannot read " + file);
    }
    byte[] bytes = Files.readAllBytes(file);
    String text = new String(bytes, StandardCharsets.US_ASCII);
    // "PRIVATE KEY" also matches "RSA PRIVATE KEY" and "EC PRIVATE KEY" (PKCS#1, SEC 1).
    if (!text.contains("-----BEGIN ") || !text.contains(label + "-----")) {
      throw new IOException(setting + ": " + file + " holds no PEM " + label);
    }
    return bytes;
  }

  /** The server options for HTTPS with these files: HTTP/2 by ALPN, HTTP/1.1 otherwise. */
  HttpServerOptions apply(HttpServerOptions options, Pem pem) {
    loadedStamps = pem.stamps();
    return options.setSsl(true).setUseAlpn(true).setKeyCertOptions(keyCert(pem));
  }

  /** Starts watching the files of a listening server. */
  void watch(HttpServer listening, HttpServerOptions options) {
    this.server = listening;
    this.sslOptions = options.getSslOptions();
    watchTimer = vertx.setPeriodic(WATCH_INTERVAL.toMillis(), id -> reloadIfChanged());
  }

  void stop() {
    if (watchTimer >= 0) {
      vertx.cancelTimer(watchTimer);
    }
  }

  /** Reads the files again and serves them to new connections; existing ones keep theirs. */
  Future<Boolean> reload() {
    if (server == null) {
      return Future.failedFuture(new IllegalStateException("the ingest server is not listening"));
    }
    return vertx.executeBlocking(() -> read(tls), false).compose(pem -> {
      ServerSSLOptions updated = new ServerSSLOptions(sslOptions).setKeyCertOptions(keyCert(pem));
      return server.updateSSLOptions(updated, true).onSuccess(changed -> {
        loadedStamps = pem.stamps();
        sslOptions = updated;
        LOG.info("Ingest TLS certificate reloaded from {}", tls.certFile());
      });
    });
  }

  private void reloadIfChanged() {
    vertx.executeBlocking(() -> List.of(Files.getLastModifiedTime(tls.certFile()),
        Files.getLastModifiedTime(tls.keyFile())), false).onSuccess(stamps -> {
          if (!stamps.equals(loadedStamps)) {
            loadedStamps = stamps;
            reload().onFailure(e -> LOG.warn("Ingest TLS files changed but cannot be served (still serving "
                + "the previous certificate): {}", e.getMessage()));
          }
        });
  }

  private static PemKeyCertOptions keyCert(Pem pem) {
    return new PemKeyCertOptions().setCertValue(pem.cert()).setKeyValue(pem.key());
  }
}
