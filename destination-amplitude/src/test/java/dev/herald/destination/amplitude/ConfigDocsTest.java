package dev.herald.destination.amplitude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.destination.api.ConfigSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The config table in the docs is generated from the factory's {@link ConfigSpec}: this test fails
 * when they differ and prints the table to paste between the markers.
 */
class ConfigDocsTest {

  static final String START = "<!-- amplitude-config:start (generated from AmplitudeDestinationFactory's ConfigSpec; ConfigDocsTest checks it) -->";
  static final String END = "<!-- amplitude-config:end -->";

  static String table(ConfigSpec spec) {
    StringBuilder out = new StringBuilder("| key | type | default | description |\n|---|---|---|---|\n");
    for (ConfigSpec.Key key : spec.keys().values()) {
      String def = key.defaultValue() != null ? "`" + key.defaultValue() + "`" : key.required() ? "**required**" : "—";
      String type = key.type().name().toLowerCase(Locale.ROOT) + (key.secret() ? " (secret)" : "");
      out.append("| `").append(key.name()).append("` | ").append(type).append(" | ").append(def).append(" | ")
          .append(key.doc().replace("|", "\\|")).append(" |\n");
    }
    return out.toString();
  }

  @Test
  void theDocumentedConfigTableIsTheSpecs() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    String expected = table(new AmplitudeDestinationFactory().configSpec());
    boolean found = false;
    for (Path doc : List.of(root.resolve("docs/amplitude.md"), root.resolve("README.md"))) {
      if (!Files.exists(doc)) continue;
      String text = Files.readString(doc);
      int start = text.indexOf(START);
      if (start < 0) continue;
      int end = text.indexOf(END, start);
      assertTrue(end > start, "no end marker in " + doc);
      String documented = text.substring(start + START.length(), end).strip() + "\n";
      assertEquals(expected, documented, doc + " is out of date; put this between the markers:\n" + expected);
      found = true;
    }
    assertTrue(found, "no amplitude config table (" + START + ") in docs/amplitude.md or README.md; expected:\n" + expected);
  }
}
