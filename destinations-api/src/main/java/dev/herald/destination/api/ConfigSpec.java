package dev.herald.destination.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The keys a destination's {@code config:} block takes, each declared once (name, type, default,
 * required, secret, doc and an optional {@link Validator}), in the manner of Kafka Connect's
 * {@code ConfigDef}. Herald validates a block against it at start-up and in {@code validate}
 * (every problem of every key reported at once), fills defaults, and masks secret keys in any
 * output; the plugin then reads typed values through {@link #parse} instead of re-checking them.
 */
public final class ConfigSpec {

  /**
   * The JSON type a key's value must have. SIZE and DURATION take the notations of
   * {@link Quantities} ({@code 100MB}, {@code 30s}, or a bare number of bytes or milliseconds)
   * and reach the plugin as a long (bytes, milliseconds) after {@link #withDefaults}.
   */
  public enum Type { STRING, INT, LONG, BOOLEAN, LIST, OBJECT, SIZE, DURATION }

  /**
   * One key. A {@code secret} key's value is never printed.
   *
   * @param validator checks a present, well-typed value beyond its type; null for none
   */
  public record Key(String name, Type type, Object defaultValue, boolean required, boolean secret, String doc,
      Validator validator) {

    public Key {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }

    /** A key without a validator. */
    public Key(String name, Type type, Object defaultValue, boolean required, boolean secret, String doc) {
      this(name, type, defaultValue, required, secret, doc, null);
    }
  }

  /**
   * A rule over several keys ("'basicPassword' needs 'basicUser'"). It sees the config with
   * defaults filled in and any key that failed its own checks at its default (or absent), and
   * answers a problem naming the keys, or null.
   */
  @FunctionalInterface
  public interface Check {
    String check(ConfigValues values);
  }

  private final Map<String, Key> keys;
  private final List<Check> checks;

  private ConfigSpec(Map<String, Key> keys, List<Check> checks) {
    this.keys = Collections.unmodifiableMap(keys);
    this.checks = List.copyOf(checks);
  }

  public static Builder builder() { return new Builder(); }

  /** The keys in declaration order (what README tables are generated from). */
  public Map<String, Key> keys() { return keys; }

  /**
   * Problems with {@code config}, each naming its key, in key order: missing required keys,
   * wrong types, validator problems, then cross-key checks, then unknown keys. Empty when valid.
   */
  public List<String> validate(JsonObject config) {
    List<String> problems = new ArrayList<>();
    JsonObject usable = new JsonObject();
    for (Key key : keys.values()) {
      Object value = config.getValue(key.name());
      if (value == null) {
        if (key.required() && key.defaultValue() == null) problems.add(quote(key.name()) + " is required");
        continue;
      }
      Object typed;
      try {
        typed = ConfigValues.typed(value, key.type());
      } catch (IllegalArgumentException e) {
        problems.add(quote(key.name()) + " " + e.getMessage());
        continue;
      }
      String problem = key.validator() == null ? null : guarded(() -> key.validator().check(key.name(), typed),
          quote(key.name()) + " could not be checked");
      if (problem != null) {
        problems.add(key.secret() ? ConfigValues.masked(key.name(), problem, value) : problem);
      } else {
        usable.put(key.name(), typed);
      }
    }
    ConfigValues values = new ConfigValues(this, withDefaults(usable));
    for (Check check : checks) {
      String problem = guarded(() -> check.check(values), "a check of the config failed");
      if (problem != null) problems.add(problem);
    }
    for (String name : config.fieldNames()) {
      if (!keys.containsKey(name)) problems.add("unknown key '" + name + "' (known: " + String.join(", ", keys.keySet()) + ")");
    }
    return problems;
  }

  /**
   * The typed values of {@code config}, defaults filled in: what a plugin's {@code create} reads.
   *
   * @throws InvalidConfigException listing every problem {@link #validate} finds
   */
  public ConfigValues parse(JsonObject config) {
    List<String> problems = validate(config);
    if (!problems.isEmpty()) throw new InvalidConfigException(problems);
    return new ConfigValues(this, withDefaults(config));
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
        try {
          out.put(key.name(), ConfigValues.typed(value, key.type()));
        } catch (IllegalArgumentException e) {
          // left as written: validate reports it
        }
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

  /** A plugin's faulty validator or check becomes a problem to list, not a crash of validation. */
  private static String guarded(java.util.function.Supplier<String> check, String failure) {
    try {
      return check.get();
    } catch (RuntimeException e) {
      return failure + " (the plugin's check threw " + e.getClass().getSimpleName() + ")";
    }
  }

  private static String quote(String name) {
    return "'" + name + "'";
  }

  /**
   * Builds a spec, keys kept in declaration order. Besides the general {@link #required} and
   * {@link #optional}, it has the common shapes: {@link #secret}, {@link #optionalSecret},
   * {@link #size}, {@link #duration} and {@link #choice}.
   */
  public static final class Builder {
    private final Map<String, Key> keys = new LinkedHashMap<>();
    private final List<Check> checks = new ArrayList<>();

    public Builder required(String name, Type type, String doc) {
      return add(new Key(name, type, null, true, false, doc));
    }

    public Builder required(String name, Type type, String doc, Validator validator) {
      return add(new Key(name, type, null, true, false, doc, validator));
    }

    public Builder optional(String name, Type type, Object defaultValue, String doc) {
      return add(new Key(name, type, defaultValue, false, false, doc));
    }

    public Builder optional(String name, Type type, Object defaultValue, String doc, Validator validator) {
      return add(new Key(name, type, defaultValue, false, false, doc, validator));
    }

    /** A required, non-blank secret string, e.g. an API key written {@code ${{ secrets.NAME }}}. */
    public Builder secret(String name, String doc) {
      return add(new Key(name, Type.STRING, null, true, true, doc, Validator.notBlank()));
    }

    /** An optional secret without default: a token, a password, or headers that may carry credentials. */
    public Builder optionalSecret(String name, Type type, String doc) {
      return add(new Key(name, type, null, false, true, doc));
    }

    /** An optional SIZE of at least one byte. */
    public Builder size(String name, Object defaultValue, String doc) {
      return add(new Key(name, Type.SIZE, defaultValue, false, false, doc, Validator.atLeast(1)));
    }

    /** An optional DURATION longer than zero. */
    public Builder duration(String name, Object defaultValue, String doc) {
      return add(new Key(name, Type.DURATION, defaultValue, false, false, doc, Validator.positiveDuration()));
    }

    /** An optional string that must be one of {@code allowed} (ignoring case); read it with {@link ConfigValues#choice}. */
    public Builder choice(String name, String defaultValue, String doc, String... allowed) {
      return add(new Key(name, Type.STRING, defaultValue, false, false, doc, Validator.oneOf(allowed)));
    }

    /** An optional choice among {@code type}'s constants, written in lower case. */
    public <E extends Enum<E>> Builder choice(String name, Class<E> type, E defaultValue, String doc) {
      String def = defaultValue == null ? null : defaultValue.name().toLowerCase(java.util.Locale.ROOT);
      return add(new Key(name, Type.STRING, def, false, false, doc, Validator.oneOf(type)));
    }

    /** A rule over several keys, run by {@link ConfigSpec#validate} after the keys' own checks. */
    public Builder check(Check check) {
      checks.add(Objects.requireNonNull(check, "check"));
      return this;
    }

    public Builder add(Key key) {
      if (keys.putIfAbsent(key.name(), key) != null) throw new IllegalArgumentException("duplicate key " + key.name());
      return this;
    }

    public ConfigSpec build() { return new ConfigSpec(new LinkedHashMap<>(keys), checks); }
  }
}
