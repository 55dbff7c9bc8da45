package dev.herald.destination.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.destination.api.ConfigSpec;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The http destination's config: the spec Herald validates with, then the plugin's own checks. */
class HttpSinkConfigTest {

  private final ConfigSpec spec = new HttpDestinationFactory().configSpec();

  @Test
  void factoryIsTheHttpType() {
    assertEquals("http", new HttpDestinationFactory().type());
    assertTrue(HttpDestinationFactory.class.isAnnotationPresent(org.pf4j.Extension.class));
  }

  @Test
  void missingEndpointIsReported() {
    assertEquals(List.of("'endpoint' is required"), spec.validate(new JsonObject()));
  }

  @Test
  void wrongTypesAndUnknownKeysAreReportedTogether() {
    List<String> problems = spec.validate(new JsonObject()
        .put("endpoint", "http://h").put("timeoutMs", "fast").put("headers", "X: y").put("bogus", 1));
    assertEquals(3, problems.size(), problems.toString());
    assertTrue(problems.contains("'timeoutMs' must be int"));
    assertTrue(problems.contains("'headers' must be object"));
    assertTrue(problems.get(2).startsWith("unknown key 'bogus'"));
  }

  @Test
  void defaultsAreFilled() {
    HttpSinkConfig config = HttpSinkConfig.from(spec.withDefaults(new JsonObject().put("endpoint", "https://example.com/hook")));
    assertEquals(HttpMethod.POST, config.method());
    assertEquals(Map.of(), config.headers());
    assertEquals(BodyMode.ARRAY, config.bodyMode());
    assertEquals(10_000, config.timeoutMs());
    assertEquals(500, config.maxEvents());
    assertEquals(5L * 1024 * 1024, config.maxBytes());
    assertTrue(config.ordered());
  }

  @Test
  void secretsAreMaskedByTheSpec() {
    JsonObject config = new JsonObject().put("endpoint", "https://example.com")
        .put("bearerToken", "t0k").put("basicPassword", "pw").put("headers", new JsonObject().put("X-Api-Key", "k3y"));
    String shown = spec.redact(config).encode();
    assertFalse(shown.contains("t0k") || shown.contains("pw\"") || shown.contains("k3y"), shown);
  }

  @Test
  void unusableValuesAreAllReportedWithoutEchoingSecrets() {
    JsonObject config = new JsonObject()
        .put("endpoint", "ftp://example.com").put("method", "DELETE").put("bodyMode", "xml")
        .put("basicPassword", "hunter2").put("headers", new JsonObject().put("X-Key", 42)).put("timeoutMs", 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpSinkConfig.from(config));
    String message = e.getMessage();
    assertTrue(message.contains("'endpoint' must be an absolute http:// or https:// URL"), message);
    assertTrue(message.contains("'method' must be POST, PUT or PATCH, not 'DELETE'"), message);
    assertTrue(message.contains("'bodyMode' must be one of array, ndjson, single, not 'xml'"), message);
    assertTrue(message.contains("'basicPassword' needs 'basicUser'"), message);
    assertTrue(message.contains("'headers.X-Key' must be a string"), message);
    assertTrue(message.contains("'timeoutMs' must be >= 1"), message);
    assertFalse(message.contains("hunter2"), message);
  }

  @Test
  void statusListsTakeCodesRangesAndClassesAndRefuseAnythingElse() {
    List<String> problems = spec.validate(new JsonObject().put("endpoint", "http://example.com/in")
        .put("retryStatuses", new io.vertx.core.json.JsonArray().add(404).add("5xx"))
        .put("rejectStatuses", new io.vertx.core.json.JsonArray().add("teapot"))
        .put("setupErrorStatuses", new io.vertx.core.json.JsonArray().add("200-401")));
    assertEquals(List.of(
        "'setupErrorStatuses' entry '200-401' may not list 2xx: a 2xx answer always means delivered",
        "'rejectStatuses' entries must be statuses (404), ranges (\"502-504\") or classes (\"5xx\"), not 'teapot'"),
        problems);
  }

  @Test
  void theFirstListAStatusIsInDecidesAndTheDefaultsFollowTheHttpMeaning() {
    HttpSinkConfig defaults = HttpSinkConfig.from(new JsonObject().put("endpoint", "http://example.com/in"));
    HttpResponseClassifier classifier = new HttpResponseClassifier(defaults, java.time.Clock.systemUTC());
    for (int status : new int[] {401, 403, 407}) {
      assertTrue(classifier.classify(status, null, "") instanceof dev.herald.destination.api.SendResult.Rejected r
          && r.setupError(), "setup error: " + status);
    }
    for (int status : new int[] {408, 429, 500, 502, 503, 504, 599}) {
      assertTrue(classifier.classify(status, null, "") instanceof dev.herald.destination.api.SendResult.Retry, "retry: " + status);
    }
    for (int status : new int[] {400, 404, 409, 422, 501, 505, 302}) {
      assertTrue(classifier.classify(status, null, "") instanceof dev.herald.destination.api.SendResult.Rejected r
          && !r.setupError(), "rejected: " + status);
    }
    HttpSinkConfig custom = HttpSinkConfig.from(new JsonObject().put("endpoint", "http://example.com/in")
        .put("retryStatuses", new io.vertx.core.json.JsonArray().add(404).add("5xx"))
        .put("setupErrorStatuses", new io.vertx.core.json.JsonArray().add(401)));
    HttpResponseClassifier customClassifier = new HttpResponseClassifier(custom, java.time.Clock.systemUTC());
    assertTrue(customClassifier.classify(404, null, "") instanceof dev.herald.destination.api.SendResult.Retry);
    assertTrue(customClassifier.classify(501, null, "") instanceof dev.herald.destination.api.SendResult.Retry);
    assertTrue(customClassifier.classify(403, null, "") instanceof dev.herald.destination.api.SendResult.Rejected r
        && !r.setupError(), "403 is in no setup list now: rejected");
  }

  @Test
  void semanticProblemsAreListedByValidateWithTypeAndUnknownKeyProblems() {
    List<String> problems = spec.validate(new JsonObject()
        .put("endpoint", "ftp://example.com/SECRETPATH").put("timeoutMs", -1).put("bodyMode", "xml")
        .put("maxBytes", "5 parsecs").put("bearerToken", "t0k").put("basicUser", "u").put("colour", "red"));
    assertEquals(List.of(
        "'endpoint' must be an absolute http:// or https:// URL (the scheme is ftp, not http or https)",
        "'bodyMode' must be one of array, ndjson, single, not 'xml'",
        "'timeoutMs' must be >= 1",
        "'maxBytes' must be a size: a byte count or a number with KB, MB or GB (e.g. 100MB)",
        "use either 'bearerToken' or 'basicUser', not both",
        "unknown key 'colour' (known: endpoint, method, headers, bearerToken, basicUser, basicPassword, bodyMode,"
            + " timeoutMs, maxEvents, maxBytes, ordered, setupErrorStatuses, retryStatuses, rejectStatuses)"), problems);
    assertFalse(problems.toString().contains("SECRETPATH") || problems.toString().contains("t0k"));
  }

  @Test
  void methodIsCheckedIgnoringCaseAndHeaderValuesMustBeStrings() {
    assertEquals(List.of(), spec.validate(new JsonObject().put("endpoint", "http://h").put("method", "put")));
    assertEquals(HttpMethod.PUT, HttpSinkConfig.from(new JsonObject().put("endpoint", "http://h").put("method", "put")).method());
    assertEquals(List.of("'headers.A', 'headers.B' must be strings"), spec.validate(new JsonObject()
        .put("endpoint", "http://h").put("headers", new JsonObject().put("A", 1).put("B", true).put("C", "ok"))));
  }

  @Test
  void bearerAndBasicAreExclusive() {
    JsonObject config = new JsonObject().put("endpoint", "http://h").put("bearerToken", "a").put("basicUser", "u");
    assertThrows(IllegalArgumentException.class, () -> HttpSinkConfig.from(config));
  }

  @Test
  void descriptionShowsNoPathQueryOrCredentials() {
    HttpSinkConfig config = HttpSinkConfig.from(new JsonObject()
        .put("endpoint", "https://hooks.example.com:8443/services/T0/B0/SECRETPATH?key=SECRETQ")
        .put("bearerToken", "SECRETTOKEN").put("headers", new JsonObject().put("X-Api-Key", "SECRETHEADER")));
    assertEquals("https://hooks.example.com:8443", config.target());
    String shown = config.toString();
    assertFalse(shown.contains("SECRET"), shown);
    assertTrue(shown.contains("X-Api-Key"), shown);
  }
}
