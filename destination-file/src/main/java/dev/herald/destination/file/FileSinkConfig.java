package dev.herald.destination.file;

import dev.herald.destination.api.ConfigSpec;
import dev.herald.destination.api.ConfigSpec.Type;
import dev.herald.destination.api.ConfigValues;
import dev.herald.destination.api.Validator;
import io.vertx.core.json.JsonObject;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The {@code file} destination's config. Its keys are declared once, in {@link #SPEC}: name,
 * type, default, doc and the check of each value. Herald validates a {@code config:} block
 * against the spec before the plugin runs (every problem of every destination listed at once),
 * so {@link #from} only reads typed values.
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

  /** The spec is immutable: build it once. Operators' docs come from these descriptions. */
  static final ConfigSpec SPEC = ConfigSpec.builder()
      .required(PATH, Type.STRING, "File the events are appended to, one JSON object per line",
          Validator.all(Validator.notBlank(), FileSinkConfig::validPath))
      .size(MAX_BYTES, DEFAULT_MAX_BYTES, "Size at which the file is rotated to <path>.1, <path>.1 to <path>.2, and so on")
      .optional(MAX_FILES, Type.INT, DEFAULT_MAX_FILES, "Files kept, the live one included; the oldest is deleted on rotation",
          Validator.atLeast(1))
      .build();

  /** @throws IllegalArgumentException naming every bad key at once */
  public static FileSinkConfig from(JsonObject config) {
    ConfigValues values = SPEC.parse(config);
    return new FileSinkConfig(Path.of(values.string(PATH)).toAbsolutePath().normalize(), values.size(MAX_BYTES),
        values.integer(MAX_FILES));
  }

  private static String validPath(String name, Object value) {
    try {
      Path.of(value.toString());
      return null;
    } catch (InvalidPathException e) {
      return "'" + name + "' is not a valid path: " + e.getReason();
    }
  }
}
