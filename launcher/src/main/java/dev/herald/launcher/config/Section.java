package dev.herald.launcher.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.destination.api.Quantities;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A mapping of the YAML tree being read. Each accessor records the key as known, falls back to
 * a default when the key is absent, and on a bad value records a problem (with the full path)
 * and returns the default, so that reading goes on and every problem is found in one pass.
 */
final class Section {

  private final JsonNode node;
  private final String path;
  private final Problems problems;
  private final Secrets secrets;
  private final Set<String> known = new LinkedHashSet<>();

  private Section(JsonNode node, String path, Problems problems, Secrets secrets) {
    this.node = node;
    this.path = path;
    this.problems = problems;
    this.secrets = secrets;
  }

  /** A section over {@code node}; a missing node reads as an empty mapping, a non-mapping is a problem. */
  static Section of(JsonNode node, String path, Problems problems, Secrets secrets) {
    if (node != null && !node.isNull() && !node.isObject()) {
      problems.add(path, "must be a mapping of keys to values");
      node = null;
    }
    return new Section(node == null || node.isNull() ? null : node, path, problems, secrets);
  }

  String path() { return path; }

  String pathOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean has(String key) {
    return value(key) != null;
  }

  /** True when the key is absent or an empty list; anything else is for the caller to reject. */
  boolean isAbsentOrEmptyList(String key) {
    JsonNode v = value(key);
    return v == null || (v.isArray() && v.isEmpty());
  }

  void problem(String key, String message) {
    problems.add(key == null ? path : pathOf(key), message);
  }

  Section section(String key) {
    return of(value(key), pathOf(key), problems, secrets);
  }

  /** The mappings of a list, each with its indexed path ({@code destinations[1]}). */
  List<Section> sections(String key) {
    JsonNode list = value(key);
    List<Section> out = new ArrayList<>();
    if (list == null) return out;
    if (!list.isArray()) {
      problem(key, "must be a list");
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      out.add(of(list.get(i), pathOf(key) + "[" + i + "]", problems, secrets));
    }
    return out;
  }

  String string(String key, String defaultValue) {
    JsonNode v = value(key);
    if (v == null) return defaultValue;
    if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) {
      problem(key, "must be a string");
      return defaultValue;
    }
    String resolved = resolveOrNull(pathOf(key), v.asText());
    return resolved == null ? defaultValue : resolved;
  }

  String requiredString(String key) {
    String s = string(key, null);
    if (s == null && !has(key)) problem(key, "is required");
    else if (s != null && s.isBlank()) problem(key, "must not be empty");
    return s;
  }

  int integer(String key, int defaultValue, int min, int max, String expectation) {
    JsonNode v = value(key);
    if (v == null) return defaultValue;
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
      problem(key, "must be " + expectation);
      return defaultValue;
    }
    return v.intValue();
  }

  int positiveInt(String key, int defaultValue) {
    return integer(key, defaultValue, 1, Integer.MAX_VALUE, "a positive integer");
  }

  boolean bool(String key, boolean defaultValue) {
    JsonNode v = value(key);
    if (v == null) return defaultValue;
    if (!v.isBoolean()) {
      problem(key, "must be true or false");
      return defaultValue;
    }
    return v.booleanValue();
  }

  /** A duration in the notation of {@link Quantities} ({@code 30s}; a bare number is milliseconds). */
  Duration duration(String key, Duration defaultValue) {
    return quantity(key, defaultValue, Quantities::duration);
  }

  /** A size in the notation of {@link Quantities} ({@code 64MB}; a bare number is bytes). */
  long size(String key, long defaultValue) {
    return quantity(key, defaultValue, Quantities::size);
  }

  private <T> T quantity(String key, T defaultValue, Function<Object, T> parser) {
    JsonNode v = value(key);
    if (v == null) return defaultValue;
    try {
      return parser.apply(scalar(v));
    } catch (IllegalArgumentException e) {
      problem(key, e.getMessage());
      return defaultValue;
    }
  }

  /** Text as a String, a whole number as a Long (past a long's range as text, so it reads as too large). */
  private static Object scalar(JsonNode v) {
    if (v.isTextual()) return v.textValue();
    if (v.isIntegralNumber()) return v.canConvertToLong() ? (Object) v.longValue() : v.asText();
    return v;
  }

  <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
    JsonNode v = value(key);
    if (v == null) return defaultValue;
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      String name = e.name().toLowerCase(Locale.ROOT);
      names.add(name);
      if (v.isTextual() && v.textValue().trim().equalsIgnoreCase(name)) return e;
    }
    problem(key, "must be one of " + String.join(", ", names));
    return defaultValue;
  }

  <T> T parsed(String key, T defaultValue, Function<String, Optional<T>> parser, String expectation) {
    JsonNode v = value(key);
    if (v == null) return defaultValue;
    Optional<T> t = v.isTextual() ? parser.apply(v.textValue()) : Optional.empty();
    if (t.isEmpty()) {
      problem(key, "must be " + expectation);
      return defaultValue;
    }
    return t.get();
  }

  List<String> strings(String key, List<String> defaultValue) {
    JsonNode v = value(key);
    if (v == null) return defaultValue;
    if (!v.isArray()) {
      problem(key, "must be a list of strings");
      return defaultValue;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      if (!item.isTextual()) {
        problem(key + "[" + i + "]", "must be a string");
        continue;
      }
      String resolved = resolveOrNull(pathOf(key) + "[" + i + "]", item.textValue());
      if (resolved != null) out.add(resolved);
    }
    return out;
  }

  /**
   * A free-form mapping (a destination's {@code config:}) as JSON with secrets resolved; the
   * top-level keys whose value referenced a secret are added to {@code secretKeys}.
   */
  JsonObject json(String key, Set<String> secretKeys) {
    JsonNode v = value(key);
    if (v == null) return new JsonObject();
    if (!v.isObject()) {
      problem(key, "must be a mapping of keys to values");
      return new JsonObject();
    }
    JsonObject out = new JsonObject();
    for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      String fieldPath = pathOf(key) + "." + field.getKey();
      if (referencesSecret(field.getValue())) secretKeys.add(field.getKey());
      out.put(field.getKey(), toJson(field.getValue(), fieldPath));
    }
    return out;
  }

  /** Records every key of this mapping not read so far as a problem. Call after reading. */
  void rejectUnknownKeys() {
    if (node == null) return;
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        problems.add(pathOf(name), "unknown key (known keys: " + String.join(", ", known) + ")");
      }
    }
  }

  /** The value as written (null when absent), marked as known, for readers with rules of their own. */
  JsonNode raw(String key) {
    return value(key);
  }

  /** Marks a key as known without reading it. */
  void allow(String key) {
    known.add(key);
  }

  private JsonNode value(String key) {
    known.add(key);
    if (node == null) return null;
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : v;
  }

  /** The text with secrets resolved, or null (and a problem recorded) when one is missing. */
  private String resolveOrNull(String at, String text) {
    boolean[] missing = {false};
    String resolved = secrets.resolve(text, name -> {
      missing[0] = true;
      problems.add(at, "secret '" + name + "' is not set");
    });
    return missing[0] ? null : resolved;
  }

  private String resolve(String at, String text) {
    return secrets.resolve(text, name -> problems.add(at, "secret '" + name + "' is not set"));
  }

  private Object toJson(JsonNode n, String at) {
    if (n.isObject()) {
      JsonObject o = new JsonObject();
      n.fields().forEachRemaining(e -> o.put(e.getKey(), toJson(e.getValue(), at + "." + e.getKey())));
      return o;
    }
    if (n.isArray()) {
      JsonArray a = new JsonArray();
      for (int i = 0; i < n.size(); i++) a.add(toJson(n.get(i), at + "[" + i + "]"));
      return a;
    }
    if (n.isTextual()) return resolve(at, n.textValue());
    if (n.isBoolean()) return n.booleanValue();
    if (n.isIntegralNumber()) return n.canConvertToInt() ? (Object) n.intValue() : (Object) n.longValue();
    if (n.isNumber()) return n.doubleValue();
    return null;
  }

  private static boolean referencesSecret(JsonNode n) {
    if (n.isTextual()) return Secrets.references(n.textValue());
    for (JsonNode child : n) {
      if (referencesSecret(child)) return true;
    }
    return false;
  }
}
