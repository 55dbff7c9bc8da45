package dev.herald.destination.testkit;

import dev.herald.destination.api.ConfigSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A plugin's config table in the docs, generated from its {@link ConfigSpec}. The table sits
 * between {@code <!-- NAME-config:start … -->} and {@code <!-- NAME-config:end -->};
 * {@link #assertDocumented} fails when it differs from the spec and prints the table to paste.
 */
public final class ConfigDocs {

  private ConfigDocs() {}

  /** The Markdown table of {@code spec}: key, type (secret marked), default or required, description. */
  public static String table(ConfigSpec spec) {
    StringBuilder out = new StringBuilder("| key | type | default | description |\n|---|---|---|---|\n");
    for (ConfigSpec.Key key : spec.keys().values()) {
      String def = key.defaultValue() != null ? "`" + key.defaultValue() + "`" : key.required() ? "**required**" : "—";
      String type = key.type().name().toLowerCase(Locale.ROOT) + (key.secret() ? " (secret)" : "");
      out.append("| `").append(key.name()).append("` | ").append(type).append(" | ").append(def).append(" | ")
          .append(cell(key.doc())).append(" |\n");
    }
    return out.toString();
  }

  /** A table cell: pipes escaped, and angle brackets, which Markdown would take for HTML tags. */
  private static String cell(String text) {
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ");
  }

  /**
   * Fails unless {@code doc} holds, between the {@code name} markers, exactly {@link #table} of
   * {@code spec}; the message gives the table to paste.
   */
  public static void assertDocumented(Path doc, String name, ConfigSpec spec) {
    String start = "<!-- " + name + "-config:start";
    String end = "<!-- " + name + "-config:end -->";
    String expected = table(spec);
    String hint = "\nput this between " + start + " (generated from the ConfigSpec) --> and " + end + " in " + doc
        + ":\n" + expected;
    String text;
    try {
      text = Files.readString(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int from = text.indexOf(start);
    if (from < 0) throw new AssertionError("no " + name + " config table in " + doc + hint);
    int tableFrom = text.indexOf("-->", from);
    int to = text.indexOf(end, from);
    if (tableFrom < 0 || to < tableFrom) throw new AssertionError("no end marker " + end + " in " + doc + hint);
    String documented = text.substring(tableFrom + 3, to).strip() + "\n";
    if (!documented.equals(expected)) {
      throw new AssertionError("the " + name + " config table in " + doc + " differs from the spec" + hint);
    }
  }

  /** The repository's README.md seen from a module's tests (they run in the module's folder). */
  public static Path readme() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("README.md")) && Files.exists(p.resolve("mvnw"))) return p.resolve("README.md");
    }
    throw new AssertionError("no README.md beside mvnw above " + dir);
  }
}
