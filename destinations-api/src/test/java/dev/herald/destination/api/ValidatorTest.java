package dev.herald.destination.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.destination.api.ConfigSpec.Type;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-key validators and cross-key checks: each bad value is listed with every other problem of the config. */
class ValidatorTest {

  enum Mode { ARRAY, NDJSON }

  private final ConfigSpec spec = ConfigSpec.builder()
      .required("url", Type.STRING, "where to send", Validator.httpUrl())
      .optional("timeoutMs", Type.INT, 1000, "timeout", Validator.atLeast(1))
      .optional("port", Type.INT, 80, "port", Validator.between(1, 65535))
      .choice("mode", Mode.class, Mode.ARRAY, "body mode")
      .optional("region", Type.STRING, "eu", "region", Validator.pattern("[a-z]{2}", "a two-letter region"))
      .optional("name", Type.STRING, "x", "display name", Validator.notBlank())
      .size("maxBytes", "1MB", "request bound")
      .duration("hold", "30s", "hold time")
      .optionalSecret("token", Type.STRING, "token")
      .optional("user", Type.STRING, null, "user")
      .check(v -> v.has("token") && v.has("user") ? "use either 'token' or 'user', not both" : null)
      .build();

  @Test
  void aBadUrlANegativeTimeoutAndAnUnknownModeAreListedTogetherWithTypeAndUnknownKeyProblems() {
    List<String> problems = spec.validate(new JsonObject()
        .put("url", "ftp://example.com/SECRET").put("timeoutMs", -5).put("mode", "xml")
        .put("port", "eighty").put("colour", "red"));
    assertEquals(List.of(
        "'url' must be an absolute http:// or https:// URL (the scheme is ftp, not http or https)",
        "'timeoutMs' must be >= 1",
        "'port' must be int",
        "'mode' must be one of array, ndjson, not 'xml'",
        "unknown key 'colour' (known: url, timeoutMs, port, mode, region, name, maxBytes, hold, token, user)"),
        problems);
  }

  @Test
  void everyShapeReportsItsOwnProblem() {
    List<String> problems = spec.validate(new JsonObject().put("url", "http://h").put("port", 0)
        .put("region", "Europe").put("name", "  ").put("maxBytes", 0).put("hold", "0s"));
    assertEquals(List.of(
        "'port' must be between 1 and 65535",
        "'region' must be a two-letter region",
        "'name' must not be blank",
        "'maxBytes' must be >= 1",
        "'hold' must be longer than zero"), problems);
  }

  @Test
  void sizeAndDurationNotationProblemsAreListedLikeAnyOther() {
    List<String> problems = spec.validate(new JsonObject().put("url", "http://h").put("maxBytes", "-1MB").put("hold", "1H"));
    assertEquals(List.of(
        "'maxBytes' must be " + Quantities.SIZE_SYNTAX + "; it must not be negative",
        "'hold' must be " + Quantities.DURATION_SYNTAX + "; units are lower case (h, not H)"), problems);
  }

  @Test
  void crossKeyChecksRunAlongsideTheKeysOwnProblems() {
    List<String> problems = spec.validate(new JsonObject().put("url", "nope").put("token", "t").put("user", "u"));
    assertEquals(List.of("'url' must be an absolute http:// or https:// URL (it has no scheme)",
        "use either 'token' or 'user', not both"), problems);
  }

  @Test
  void aValidatorNeverShowsASecretValue() {
    ConfigSpec secret = ConfigSpec.builder()
        .add(new ConfigSpec.Key("mode", Type.STRING, null, false, true, "secret mode", Validator.oneOf("a", "b")))
        .secret("apiKey", "key")
        .build();
    List<String> problems = secret.validate(new JsonObject().put("mode", "hunter2").put("apiKey", " "));
    assertEquals(List.of("'mode' is not valid (the value is secret, not shown)", "'apiKey' must not be blank"), problems);
    assertFalse(problems.toString().contains("hunter2"));
  }

  @Test
  void validatorsCombineAndReportTheFirstProblem() {
    Validator v = Validator.all(Validator.notBlank(), Validator.pattern("[a-z]+", "lower-case letters"));
    assertEquals("'k' must not be blank", v.check("k", " "));
    assertEquals("'k' must be lower-case letters", v.check("k", "ABC"));
    assertEquals(null, v.check("k", "abc"));
    assertEquals("'k' must be an http:// or https:// base URL (it must have no query or fragment)",
        Validator.httpBaseUrl().check("k", "https://x.example/?a=1"));
    assertTrue(Validator.matching("even", n -> ((Number) n).intValue() % 2 == 0).check("k", 3).endsWith("must be even"));
  }

  @Test
  void aFaultyValidatorOrCheckIsListedAsAProblemInsteadOfStoppingValidation() {
    ConfigSpec faulty = ConfigSpec.builder()
        .required("name", Type.STRING, "a string checked as a number by mistake", Validator.atLeast(1))
        .optional("n", Type.INT, 1, "fine", Validator.atLeast(5))
        .check(v -> v.string("missing-key"))
        .build();
    assertEquals(List.of(
        "'name' could not be checked (the plugin's check threw ClassCastException)",
        "'n' must be >= 5",
        "a check of the config failed (the plugin's check threw IllegalArgumentException)"),
        faulty.validate(new JsonObject().put("name", "x").put("n", 2)));
  }
}
