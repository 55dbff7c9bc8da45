package dev.herald.destination.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * A validated {@code config:} block with defaults filled in, read by key with the type the
 * {@link ConfigSpec} declared: what {@link ConfigSpec#parse} hands a plugin. A key that is
 * optional without default reads as null when absent. Reading a key the spec does not declare,
 * or as another type, is a programming error ({@link IllegalArgumentException}).
 */
public final class ConfigValues {

  private final ConfigSpec spec;
  private final JsonObject values;

  ConfigValues(ConfigSpec spec, JsonObject values) {
    this.spec = spec;
    this.values = values;
  }

  /** True when the key has a value (given or by default). */
  public boolean has(String name) {
    key(name);
    return values.getValue(name) != null;
  }

  public String string(String name) {
    return read(name, JsonObject::getString, ConfigSpec.Type.STRING);
  }

  public Integer integer(String name) {
    return read(name, JsonObject::getInteger, ConfigSpec.Type.INT);
  }

  /** A LONG or INT key. */
  public Long longValue(String name) {
    return read(name, JsonObject::getLong, ConfigSpec.Type.LONG, ConfigSpec.Type.INT);
  }

  public Boolean bool(String name) {
    return read(name, JsonObject::getBoolean, ConfigSpec.Type.BOOLEAN);
  }

  /** A SIZE in bytes. */
  public Long size(String name) {
    return read(name, JsonObject::getLong, ConfigSpec.Type.SIZE);
  }

  public Duration duration(String name) {
    Long millis = read(name, JsonObject::getLong, ConfigSpec.Type.DURATION);
    return millis == null ? null : Duration.ofMillis(millis);
  }

  public JsonObject object(String name) {
    return read(name, JsonObject::getJsonObject, ConfigSpec.Type.OBJECT);
  }

  public JsonArray list(String name) {
    return read(name, JsonObject::getJsonArray, ConfigSpec.Type.LIST);
  }

  /** A STRING key naming one of {@code type}'s constants, ignoring case (see {@link ConfigSpec.Builder#choice}). */
  public <E extends Enum<E>> E choice(String name, Class<E> type) {
    String value = string(name);
    if (value == null) return null;
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(value.trim())) return constant;
    }
    throw new IllegalArgumentException("'" + name + "' is not one of " + type.getSimpleName() + "'s constants");
  }

  /** A copy of the whole block, defaults filled in. */
  public JsonObject json() {
    return values.copy();
  }

  /** The value of a declared key of one of {@code types}. */
  private <T> T read(String name, BiFunction<JsonObject, String, T> getter, ConfigSpec.Type... types) {
    ConfigSpec.Key key = key(name);
    if (!List.of(types).contains(key.type())) {
      throw new IllegalArgumentException("'" + name + "' is declared " + key.type() + ", not " + List.of(types));
    }
    return getter.apply(values, name);
  }

  private ConfigSpec.Key key(String name) {
    ConfigSpec.Key key = spec.keys().get(name);
    if (key == null) throw new IllegalArgumentException("'" + name + "' is not a key of this spec");
    return key;
  }

  /**
   * {@code value} as the Java type a {@link Validator} and the accessors see for {@code type}.
   *
   * @throws IllegalArgumentException with a phrase such as "must be int" when it has another type
   */
  static Object typed(Object value, ConfigSpec.Type type) {
    Object typed = switch (type) {
      case STRING -> value instanceof String ? value : null;
      case INT -> value instanceof Integer ? value
          : value instanceof Long l && l == l.intValue() ? (Object) l.intValue() : null;
      case LONG -> value instanceof Integer || value instanceof Long ? ((Number) value).longValue() : null;
      case BOOLEAN -> value instanceof Boolean ? value : null;
      case LIST -> value instanceof JsonArray ? value : value instanceof List<?> l ? new JsonArray(l) : null;
      case OBJECT -> value instanceof JsonObject ? value
          : value instanceof Map<?, ?> m ? new JsonObject(castMap(m)) : null;
      case SIZE -> Quantities.size(value);
      case DURATION -> Quantities.duration(value).toMillis();
    };
    if (typed == null) throw new IllegalArgumentException("must be " + type.name().toLowerCase(Locale.ROOT));
    return typed;
  }

  /** {@code problem} about a secret key, with its value never shown. */
  static String masked(String name, String problem, Object value) {
    String text = String.valueOf(value);
    return text.isBlank() || !problem.contains(text) ? problem : "'" + name + "' is not valid (the value is secret, not shown)";
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }
}
