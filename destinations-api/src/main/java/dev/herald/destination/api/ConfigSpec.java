package dev.herald.destination.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys a destination's {@code config:} block takes. Herald validates a block against it
 * (every problem reported at once), fills defaults, and masks secret keys in any output.
 */
public final class ConfigSpec {

  /** The JSON type a key's value must have. */
  public enum Type { STRING, INT, LONG, BOOLEAN, LIST, OBJECT }

  /** One key. A {@code secret} key's value is never printed. */
  public record Key(String name, Type type, Object defaultValue, boolean required, boolean secret, String doc) {}

  private final Map<String, Key> keys;

  private ConfigSpec(Map<String, Key> keys) {
    this.keys = Collections.unmodifiableMap(keys);
  }

  public static Builder builder() { return new Builder(); }

  public Map<String, Key> keys() { return keys; }

  /** Problems with {@code config}, each naming the key; empty when valid. Unknown keys are problems. */
  public List<String> validate(JsonObject config) {
    List<String> problems = new ArrayList<>();
    for (Key key : keys.values()) {
      Object value = config.getValue(key.name());
      if (value == null) {
        if (key.required() && key.defaultValue() == null) problems.add("'" + key.name() + "' is required");
      } else if (!hasType(value, key.type())) {
        problems.add("'" + key.name() + "' must be " + key.type().name().toLowerCase());
      }
    }
    for (String name : config.fieldNames()) {
      if (!keys.containsKey(name)) problems.add("unknown key '" + name + "' (known: " + String.join(", ", keys.keySet()) + ")");
    }
    return problems;
  }

  /** A copy of {@code config} with defaults filled in for absent keys. */
  public JsonObject withDefaults(JsonObject config) {
    JsonObject out = config.copy();
    for (Key key : keys.values()) {
      if (!out.containsKey(key.name()) && key.defaultValue() != null) out.put(key.name(), key.defaultValue());
    }
    return out;
  }

  /** A copy of {@code config} safe to show: secret values replaced by {@code "******"}. */
  public JsonObject redact(JsonObject config) {
    JsonObject out = config.copy();
    for (Key key : keys.values()) {
      if (key.secret() && out.containsKey(key.name())) out.put(key.name(), "******");
    }
    return out;
  }

  private static boolean hasType(Object value, Type type) {
    return switch (type) {
      case STRING -> value instanceof String;
      case INT -> value instanceof Integer || (value instanceof Long l && l == l.intValue());
      case LONG -> value instanceof Integer || value instanceof Long;
      case BOOLEAN -> value instanceof Boolean;
      case LIST -> value instanceof JsonArray || value instanceof List;
      case OBJECT -> value instanceof JsonObject || value instanceof Map;
    };
  }

  /** Builds a spec, keys kept in declaration order. */
  public static final class Builder {
    private final Map<String, Key> keys = new LinkedHashMap<>();

    public Builder required(String name, Type type, String doc) {
      return add(new Key(name, type, null, true, false, doc));
    }

    public Builder optional(String name, Type type, Object defaultValue, String doc) {
      return add(new Key(name, type, defaultValue, false, false, doc));
    }

    /** A required secret, e.g. an API key written {@code ${{ secrets.NAME }}}. */
    public Builder secret(String name, String doc) {
      return add(new Key(name, Type.STRING, null, true, true, doc));
    }

    public Builder add(Key key) {
      if (keys.putIfAbsent(key.name(), key) != null) throw new IllegalArgumentException("duplicate key " + key.name());
      return this;
    }

    public ConfigSpec build() { return new ConfigSpec(new LinkedHashMap<>(keys)); }
  }
}
