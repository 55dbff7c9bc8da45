package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code corsOrigins: ["*"]} allows every origin; none configured allows none. */
class AnyOriginCorsTest extends IngestTestBase {

  @Override
  IngestOptions options() {
    return super.options().withCorsOrigins(List.of("*"));
  }

  @Test
  void anyOriginIsEchoed() throws Exception {
    HttpResponse<Buffer> response = await(client.request(HttpMethod.OPTIONS, "/v1/t")
        .putHeader("Origin", "https://anything.example").putHeader("Access-Control-Request-Method", "POST").send());
    assertEquals(204, response.statusCode());
    assertEquals("https://anything.example", response.getHeader("Access-Control-Allow-Origin"));
  }

  @Test
  void withoutConfiguredOriginsPreflightsAreRefused() throws Exception {
    // A second server on the default options, which name no origin.
    IngestOptions defaults = IngestOptions.defaults(List.of(new SourceOptions("web", WEB_KEY))).withHost("127.0.0.1")
        .withPort(0);
    IngestVerticle plain = new IngestVerticle(defaults, log);
    await(vertx.deployVerticle(plain));
    io.vertx.ext.web.client.WebClient other = io.vertx.ext.web.client.WebClient.create(vertx);
    try {
      HttpResponse<Buffer> response = await(other
          .request(HttpMethod.OPTIONS, plain.actualPort(), "127.0.0.1", "/v1/t")
          .putHeader("Origin", "https://app.example.com").putHeader("Access-Control-Request-Method", "POST").send());
      assertError(response, 403, "origin_not_allowed");
    } finally {
      other.close();
      await(vertx.undeploy(plain.deploymentID()));
    }
  }
}
