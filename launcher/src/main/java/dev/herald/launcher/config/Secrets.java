package dev.herald.launcher.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${{ secrets.NAME }}} references (the Fluvio connector syntax) through a lookup
 * function, the environment in production. A missing secret is reported by name only.
 */
public final class Secrets {

  private static final Pattern REFERENCE = Pattern.compile("\\$\\{\\{\\s*secrets\\.([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

  private final Function<String, String> lookup;

  /** @param lookup a secret's value by name, or null when it is not set */
  public Secrets(Function<String, String> lookup) {
    this.lookup = Objects.requireNonNull(lookup);
  }

  /** Secrets from environment variables. */
  public static Secrets fromEnvironment() {
    return new Secrets(System::getenv);
  }

  /** These secrets with {@code values} taking precedence (a secrets file over the environment). */
  public Secrets over(Map<String, String> values) {
    Map<String, String> copy = Map.copyOf(values);
    return new Secrets(name -> copy.containsKey(name) ? copy.get(name) : lookup.apply(name));
  }

  /** The values of the secrets {@code text} references that are set, so that messages can mask them. */
  public List<String> values(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = REFERENCE.matcher(text);
    while (m.find()) {
      String value = lookup.apply(m.group(1));
      if (value != null) out.add(value);
    }
    return out;
  }

  /** True when the secret {@code name} has a value. */
  public boolean isSet(String name) {
    return lookup.apply(name) != null;
  }

  /** True when {@code text} contains at least one secret reference. */
  public static boolean references(String text) {
    return REFERENCE.matcher(text).find();
  }

  /**
   * {@code text} with every reference replaced by its value; each missing name goes to
   * {@code missing} and is replaced by an empty string.
   */
  public String resolve(String text, Consumer<String> missing) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = lookup.apply(m.group(1));
      if (value == null) {
        missing.accept(m.group(1));
        value = "";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
