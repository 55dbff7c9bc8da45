package dev.herald.destination.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.destination.api.ConfigSpec.Type;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ConfigSpec.parse: a plugin reads validated, typed values instead of re-parsing its config. */
class ConfigValuesTest {

  enum Api { HTTPV2, BATCH }

  private final ConfigSpec spec = ConfigSpec.builder()
      .required("endpoint", Type.STRING, "url", Validator.httpUrl())
      .optional("timeoutMs", Type.INT, 10_000, "timeout")
      .optional("offset", Type.LONG, 5, "offset")
      .optional("ordered", Type.BOOLEAN, true, "ordered")
      .size("maxBytes", "5MB", "bound")
      .duration("hold", "30s", "hold")
      .choice("api", Api.class, Api.HTTPV2, "api")
      .optional("tags", Type.LIST, null, "tags")
      .optionalSecret("headers", Type.OBJECT, "headers")
      .optional("minIdLength", Type.INT, null, "optional without default")
      .build();

  @Test
  void valuesArriveTypedWithDefaultsFilledIn() {
    ConfigValues values = spec.parse(new JsonObject().put("endpoint", "https://x.example").put("api", "Batch")
        .put("tags", List.of("a")).put("headers", Map.of("X-Key", "k")).put("hold", 1500));
    assertEquals("https://x.example", values.string("endpoint"));
    assertEquals(10_000, values.integer("timeoutMs"));
    assertEquals(5L, values.longValue("offset"));
    assertEquals(10_000L, values.longValue("timeoutMs"));
    assertTrue(values.bool("ordered"));
    assertEquals(5L * 1024 * 1024, values.size("maxBytes"));
    assertEquals(Duration.ofMillis(1500), values.duration("hold"));
    assertEquals(Api.BATCH, values.choice("api", Api.class));
    assertEquals(new JsonArray().add("a"), values.list("tags"));
    assertEquals("k", values.object("headers").getString("X-Key"));
    assertNull(values.integer("minIdLength"));
    assertFalse(values.has("minIdLength"));
    assertEquals("Batch", values.json().getString("api"));
  }

  @Test
  void parsingAnInvalidConfigListsEveryProblemAtOnce() {
    InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> spec.parse(new JsonObject()
        .put("endpoint", "ftp://x").put("timeoutMs", "soon").put("api", "v3").put("hold", "forever")));
    assertEquals(4, e.problems().size(), e.problems().toString());
    assertEquals(String.join("; ", e.problems()), e.getMessage());
    assertTrue(e.getMessage().contains("'api' must be one of httpv2, batch, not 'v3'"), e.getMessage());
  }

  @Test
  void readingAnUndeclaredKeyOrAsTheWrongTypeIsAProgrammingError() {
    ConfigValues values = spec.parse(new JsonObject().put("endpoint", "https://x.example"));
    assertThrows(IllegalArgumentException.class, () -> values.string("nope"));
    assertThrows(IllegalArgumentException.class, () -> values.integer("endpoint"));
    assertThrows(IllegalArgumentException.class, () -> values.duration("maxBytes"));
  }

  @Test
  void keysDeclaredTheOldWayStillWork() {
    ConfigSpec.Key key = new ConfigSpec.Key("k", Type.STRING, "d", false, false, "doc");
    assertNull(key.validator());
    ConfigSpec old = ConfigSpec.builder().add(key).build();
    assertEquals("d", old.parse(new JsonObject()).string("k"));
  }
}
