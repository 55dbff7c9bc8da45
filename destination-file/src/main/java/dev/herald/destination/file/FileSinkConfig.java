package dev.herald.destination.file;

import io.vertx.core.json.JsonObject;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code file} destination's config. Herald has already checked the types and filled
 * the defaults; what the spec cannot express (ranges, a valid path) is checked here.
 *
 * @param path the live file
 * @param maxBytes rotate once the live file would grow past this size
 * @param maxFiles files kept, the live one included
 */
public record FileSinkConfig(Path path, long maxBytes, int maxFiles) {

  static final String PATH = "path";
  static final String MAX_BYTES = "maxBytes";
  static final String MAX_FILES = "maxFiles";
  static final long DEFAULT_MAX_BYTES = 100L * 1024 * 1024;
  static final int DEFAULT_MAX_FILES = 5;

  /** @throws IllegalArgumentException naming every bad key at once */
  public static FileSinkConfig from(JsonObject config) {
    List<String> problems = new ArrayList<>();
    Path path = null;
    String pathValue = config.getString(PATH);
    if (pathValue == null || pathValue.isBlank()) {
      problems.add("'" + PATH + "' is required");
    } else {
      try {
        path = Path.of(pathValue).toAbsolutePath().normalize();
      } catch (InvalidPathException e) {
        problems.add("'" + PATH + "' is not a valid path: " + e.getReason());
      }
    }
    long maxBytes = config.getLong(MAX_BYTES, DEFAULT_MAX_BYTES);
    if (maxBytes < 1) problems.add("'" + MAX_BYTES + "' must be >= 1");
    int maxFiles = config.getInteger(MAX_FILES, DEFAULT_MAX_FILES);
    if (maxFiles < 1) problems.add("'" + MAX_FILES + "' must be >= 1");
    if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    return new FileSinkConfig(path, maxBytes, maxFiles);
  }
}
