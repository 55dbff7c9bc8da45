package dev.herald.destination.amplitude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.destination.api.ConfigSpec;
import dev.herald.destination.api.Limits;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The amplitude destination's config: the spec Herald validates with, then the plugin's own checks. */
class AmplitudeConfigTest {

  private final ConfigSpec spec = new AmplitudeDestinationFactory().configSpec();

  private AmplitudeConfig parse(JsonObject raw) {
    return AmplitudeConfig.from(spec.withDefaults(raw));
  }

  @Test
  void theFactoryIsTheAmplitudeTypeAndAPf4jExtension() {
    assertEquals("amplitude", new AmplitudeDestinationFactory().type());
    assertTrue(AmplitudeDestinationFactory.class.isAnnotationPresent(org.pf4j.Extension.class));
  }

  @Test
  void onlyTheApiKeyIsRequiredAndTheDefaultsAreAmplitudesOwn() {
    assertEquals(List.of("'apiKey' is required"), spec.validate(new JsonObject()));
    AmplitudeConfig config = parse(new JsonObject().put("apiKey", "k"));
    assertEquals(AmplitudeApi.HTTPV2, config.api());
    assertEquals("https://api2.amplitude.com/2/httpapi", config.url());
    assertNull(config.minIdLength());
    assertEquals(Duration.ofSeconds(30), config.throttleHold());
    assertEquals(2000, config.maxEventsPerRequest());
    assertEquals(new Limits(2000, 999_999, true), config.limits());
    assertEquals(AmplitudeConfig.AliasMode.IDENTIFY, config.aliasMode());
  }

  @Test
  void batchAndEuResidencyAreChosenByConfig() {
    AmplitudeConfig config = parse(new JsonObject().put("apiKey", "k").put("api", "batch")
        .put("endpoint", "https://api.eu.amplitude.com/").put("minIdLength", 1));
    assertEquals("https://api.eu.amplitude.com/batch", config.url());
    assertEquals(10_000, config.maxEventsPerRequest());
    assertEquals(19_999_999, config.limits().maxBytes());
    assertEquals(1, config.minIdLength());
  }

  @Test
  void everyUnusableValueIsReportedAtOnce() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(new JsonObject()
        .put("apiKey", "k").put("api", "v3").put("endpoint", "ftp://x").put("minIdLength", 0)
        .put("throttleHold", 0).put("maxEventsPerRequest", 2001).put("aliasMode", "merge")));
    String message = e.getMessage();
    for (String key : List.of("'api'", "'endpoint'", "'minIdLength'", "'throttleHold'", "'maxEventsPerRequest'", "'aliasMode'")) {
      assertTrue(message.contains(key), key + " in " + message);
    }
    assertTrue(spec.validate(new JsonObject().put("apiKey", "k").put("minIdLength", "five")).contains("'minIdLength' must be int"));
  }

  @Test
  void validateListsABadUrlANegativeTimeoutAndAnUnknownApiWithTheOtherProblems() {
    List<String> problems = spec.validate(new JsonObject().put("apiKey", "s3cr3t-key").put("api", "v3")
        .put("endpoint", "https://api2.amplitude.com/?api_key=s3cr3t-key").put("timeoutMs", -1)
        .put("throttleHold", "30 sec").put("aliasMode", "merge").put("colour", 1));
    assertEquals(List.of(
        "'api' must be one of httpv2, batch, not 'v3'",
        "'endpoint' must be an http:// or https:// base URL (it must have no query or fragment)",
        "'throttleHold' must be a duration: milliseconds or a number with ms, s, m, h or d (e.g. 30s)",
        "'timeoutMs' must be >= 1",
        "'aliasMode' must be one of identify, skip, not 'merge'",
        "unknown key 'colour' (known: apiKey, api, endpoint, minIdLength, throttleHold, timeoutMs, maxEventsPerRequest,"
            + " pageEventName, screenEventName, groupType, groupTypeTrait, aliasMode)"), problems);
    assertFalse(problems.toString().contains("s3cr3t-key"));
  }

  @Test
  void theRequestBoundDependsOnTheApiChosen() {
    assertEquals(List.of("'maxEventsPerRequest' must be between 1 and 2000 for httpv2"),
        spec.validate(new JsonObject().put("apiKey", "k").put("maxEventsPerRequest", 5000)));
    assertEquals(List.of(), spec.validate(new JsonObject().put("apiKey", "k").put("api", "batch").put("maxEventsPerRequest", 5000)));
    assertEquals(List.of("'apiKey' must not be blank"), spec.validate(new JsonObject().put("apiKey", " ")));
  }

  @Test
  void theKeyNeverShows() {
    JsonObject raw = new JsonObject().put("apiKey", "s3cr3t-key");
    assertFalse(parse(raw).toString().contains("s3cr3t-key"));
    assertFalse(spec.redact(raw).encode().contains("s3cr3t-key"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> parse(raw.copy().put("endpoint", "nope")));
    assertFalse(e.getMessage().contains("s3cr3t-key"));
  }
}
