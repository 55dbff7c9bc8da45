package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS on ingest: HTTP/1.1 and HTTP/2 (ALPN), a certificate swapped without a restart, bad files named. */
class TlsTest extends IngestTestBase {

  @TempDir static Path certDir;
  private static SelfSignedPem first;
  private static SelfSignedPem second;
  private static Path served;

  @BeforeAll
  static void makeCertificates() throws Exception {
    first = SelfSignedPem.create(certDir, "first");
    second = SelfSignedPem.create(certDir, "second");
  }

  @Override
  IngestOptions options() {
    try {
      // The served files are copies, so a test can replace them.
      served = Files.createTempDirectory(certDir, "served");
      Files.copy(first.certFile(), served.resolve("cert.pem"));
      Files.copy(first.keyFile(), served.resolve("key.pem"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return super.options().withServer(ServerOptions.DEFAULTS.withTls(
        new TlsOptions(served.resolve("cert.pem"), served.resolve("key.pem"))));
  }

  /** A fresh client (fresh connections) that trusts only {@code trusted}. */
  private HttpClientResponse postTrack(SelfSignedPem trusted, HttpVersion version) throws Exception {
    HttpClient https = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setUseAlpn(true)
        .setProtocolVersion(version).setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(trusted.certPem()))));
    try {
      return await(https.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
              .setURI("/v1/track").putHeader("Content-Type", "application/json")
              .putHeader("Authorization", basic(WEB_KEY)))
          .compose(request -> request.send(track("u-tls", "Secure").toBuffer()))
          .compose(response -> response.body().map(body -> response)));
    } finally {
      https.close();
    }
  }

  @Test
  void eventsArePostedOverHttps() throws Exception {
    HttpClientResponse response = postTrack(first, HttpVersion.HTTP_1_1);
    assertEquals(200, response.statusCode());
    assertEquals(HttpVersion.HTTP_1_1, response.version());
    assertEquals("u-tls", readLog().get(0).event().payload().getString("userId"));
  }

  @Test
  void http2IsNegotiatedOverTls() throws Exception {
    HttpClientResponse response = postTrack(first, HttpVersion.HTTP_2);
    assertEquals(200, response.statusCode());
    assertEquals(HttpVersion.HTTP_2, response.version());
    assertEquals(1, readLog().size());
  }

  @Test
  void contentLengthWithTransferEncodingIsRefusedOverHttpsToo() throws Exception {
    io.vertx.core.net.NetClient tlsNet = vertx.createNetClient(new io.vertx.core.net.NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("HTTPS")
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(first.certPem()))));
    try {
      RawHttpExchange exchange = await(RawHttpExchange.open(tlsNet, port));
      await(exchange.write("POST /v1/track HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
      String response = await(exchange.receivedWhenClosed());
      assertTrue(response.startsWith("HTTP/1.1 400"), response);
      assertEquals("bad_request", RawHttpExchange.jsonBody(response).getString("code"));
    } finally {
      tlsNet.close();
    }
  }

  @Test
  void reloadServesTheNewCertificateWithoutARestart() throws Exception {
    assertThrows(javax.net.ssl.SSLHandshakeException.class, () -> postTrack(second, HttpVersion.HTTP_1_1),
        "a client trusting only the second certificate must fail before the swap");
    Files.copy(second.certFile(), served.resolve("cert.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(second.keyFile(), served.resolve("key.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    await(verticle.reloadTls());

    assertEquals(200, postTrack(second, HttpVersion.HTTP_1_1).statusCode());
    assertEquals(200, postTrack(second, HttpVersion.HTTP_2).statusCode());
    assertThrows(javax.net.ssl.SSLHandshakeException.class, () -> postTrack(first, HttpVersion.HTTP_1_1));
  }

  @Test
  void aReloadOfUnreadableFilesKeepsTheCurrentCertificate() throws Exception {
    Files.writeString(served.resolve("key.pem"), "not a key");
    Exception failure = assertThrows(Exception.class, () -> await(verticle.reloadTls()));
    assertTrue(failure.getMessage().contains("server.tls.keyFile"), failure.getMessage());
    assertEquals(200, postTrack(first, HttpVersion.HTTP_1_1).statusCode());
  }

  @Test
  void missingOrBadFilesFailTheStartNamingTheFile() throws Exception {
    Path missing = certDir.resolve("nowhere.pem");
    IngestOptions bad = options().withPort(0).withServer(ServerOptions.DEFAULTS.withTls(
        new TlsOptions(missing, first.keyFile())));
    Exception failure = assertThrows(Exception.class, () -> await(vertx.deployVerticle(new IngestVerticle(bad, log))));
    String message = failure.getMessage();
    assertTrue(message.contains("server.tls.certFile") && message.contains(missing.toString()), message);
    assertEquals("server.tls.keyFile: " + first.certFile() + " holds no PEM PRIVATE KEY",
        new TlsOptions(first.certFile(), first.certFile()).problem());
  }
}
