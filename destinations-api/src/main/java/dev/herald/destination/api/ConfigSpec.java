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

  /**
   * The JSON type a key's value must have. SIZE takes a byte count or {@code "512KB"},
   * {@code "100MB"}, {@code "1GB"} (powers of 1024); DURATION takes milliseconds or
   * {@code "250ms"}, {@code "30s"}, {@code "5m"}, {@code "1h"}, {@code "7d"}. Both reach the
   * plugin as a long (bytes, milliseconds) after {@link #withDefaults}.
   */
  public enum Type { STRING, INT, LONG, BOOLEAN, LIST, OBJECT, SIZE, DURATION }

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
        problems.add("'" + key.name() + "' must be " + describe(key.type()));
      }
    }
    for (String name : config.fieldNames()) {
      if (!keys.containsKey(name)) problems.add("unknown key '" + name + "' (known: " + String.join(", ", keys.keySet()) + ")");
    }
    return problems;
  }

  /**
   * A copy of a valid {@code config} with defaults filled in for absent keys and SIZE /
   * DURATION values turned into longs (bytes, milliseconds).
   */
  public JsonObject withDefaults(JsonObject config) {
    JsonObject out = config.copy();
    for (Key key : keys.values()) {
      if (!out.containsKey(key.name()) && key.defaultValue() != null) out.put(key.name(), key.defaultValue());
      Object value = out.getValue(key.name());
      if (value != null && (key.type() == Type.SIZE || key.type() == Type.DURATION)) {
        Long amount = parseAmount(value, key.type());
        if (amount != null) out.put(key.name(), amount);
      }
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
      case SIZE, DURATION -> parseAmount(value, type) != null;
    };
  }

  private static String describe(Type type) {
    return switch (type) {
      case SIZE -> "a size: a byte count or a number with KB, MB or GB (e.g. 100MB)";
      case DURATION -> "a duration: milliseconds or a number with ms, s, m, h or d (e.g. 30s)";
      default -> type.name().toLowerCase();
    };
  }

  /** Bytes or milliseconds, or null when {@code value} is not a non-negative amount of that kind. */
  private static Long parseAmount(Object value, Type type) {
    if (value instanceof Integer || value instanceof Long) {
      long n = ((Number) value).longValue();
      return n >= 0 ? n : null;
    }
    if (!(value instanceof String text)) return null;
    java.util.regex.Matcher m = AMOUNT.matcher(text.trim());
    if (!m.matches()) return null;
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2).toLowerCase(java.util.Locale.ROOT);
    long factor = type == Type.SIZE
        ? switch (unit) { case "", "b" -> 1L; case "kb" -> 1L << 10; case "mb" -> 1L << 20; case "gb" -> 1L << 30; default -> -1L; }
        : switch (unit) { case "", "ms" -> 1L; case "s" -> 1_000L; case "m" -> 60_000L; case "h" -> 3_600_000L;
            case "d" -> 86_400_000L; default -> -1L; };
    if (factor < 0 || n > Long.MAX_VALUE / factor) return null;
    return n * factor;
  }

  private static final java.util.regex.Pattern AMOUNT = java.util.regex.Pattern.compile("(\\d{1,18})\\s*([a-zA-Z]*)");

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
