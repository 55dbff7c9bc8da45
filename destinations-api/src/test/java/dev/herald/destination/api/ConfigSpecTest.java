package dev.herald.destination.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigSpecTest {

  private final ConfigSpec spec = ConfigSpec.builder()
      .required("endpoint", ConfigSpec.Type.STRING, "where to post")
      .optional("timeoutMs", ConfigSpec.Type.INT, 10_000, "request timeout")
      .secret("apiKey", "the API key")
      .build();

  @Test
  void listsEveryProblemAtOnce() {
    List<String> problems = spec.validate(new JsonObject().put("timeoutMs", "soon").put("colour", "red"));
    assertEquals(List.of("'endpoint' is required", "'timeoutMs' must be int", "'apiKey' is required",
        "unknown key 'colour' (known: endpoint, timeoutMs, apiKey)"), problems);
  }

  @Test
  void fillsDefaultsAndAcceptsValidConfig() {
    JsonObject config = new JsonObject().put("endpoint", "http://x").put("apiKey", "k");
    assertTrue(spec.validate(config).isEmpty());
    assertEquals(10_000, spec.withDefaults(config).getInteger("timeoutMs"));
  }

  @Test
  void redactsSecrets() {
    JsonObject shown = spec.redact(new JsonObject().put("endpoint", "http://x").put("apiKey", "s3cret"));
    assertEquals("******", shown.getString("apiKey"));
    assertEquals("http://x", shown.getString("endpoint"));
  }

  @Test
  void sizesAndDurationsTakeUnitsAndReachThePluginAsLongs() {
    ConfigSpec units = ConfigSpec.builder()
        .optional("maxBytes", ConfigSpec.Type.SIZE, 1024, "rotate size")
        .optional("timeout", ConfigSpec.Type.DURATION, "10s", "timeout")
        .build();
    JsonObject config = new JsonObject().put("maxBytes", "100MB");
    assertTrue(units.validate(config).isEmpty());
    JsonObject filled = units.withDefaults(config);
    assertEquals(100L * 1024 * 1024, filled.getLong("maxBytes"));
    assertEquals(10_000L, filled.getLong("timeout"));
    assertEquals(250L, units.withDefaults(new JsonObject().put("timeout", "250ms")).getLong("timeout"));
    assertEquals(List.of("'maxBytes' must be a size: a byte count or a number with KB, MB or GB (e.g. 100MB)",
            "'timeout' must be a duration: milliseconds or a number with ms, s, m, h or d (e.g. 30s)"),
        units.validate(new JsonObject().put("maxBytes", "lots").put("timeout", "5 fortnights")));
  }
}
