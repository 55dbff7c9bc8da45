package dev.herald.destination.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.destination.api.ConfigSpec;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The file destination's keys, checked by the spec Herald validates with. */
class FileSinkConfigTest {

  private final ConfigSpec spec = new FileDestinationFactory().configSpec();

  @Test
  void aBlankPathABadSizeAndTooFewFilesAreListedWithUnknownKeys() {
    assertEquals(List.of(
        "'path' must not be blank",
        "'maxBytes' must be a size: a byte count or a number with KB, MB or GB (e.g. 100MB); it must not be negative",
        "'maxFiles' must be >= 1",
        "unknown key 'compress' (known: path, maxBytes, maxFiles)"),
        spec.validate(new JsonObject().put("path", " ").put("maxBytes", "-1MB").put("maxFiles", 0).put("compress", true)));
  }

  @Test
  void aPathWithANulCharacterIsNotAPath() {
    List<String> problems = spec.validate(new JsonObject().put("path", "out\u0000.ndjson"));
    assertEquals(1, problems.size(), problems.toString());
    assertEquals(true, problems.get(0).startsWith("'path' is not a valid path"), problems.get(0));
  }

  @Test
  void sizesTakeTheSharedNotation() {
    assertEquals(512L * 1024, FileSinkConfig.from(new JsonObject().put("path", "e.ndjson").put("maxBytes", "512kb")).maxBytes());
    assertEquals(4096L, FileSinkConfig.from(new JsonObject().put("path", "e.ndjson").put("maxBytes", 4096)).maxBytes());
  }
}
