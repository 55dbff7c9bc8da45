package dev.herald.ingest;

/**
 * Bounds on the JSON Herald parses (Jackson's {@code StreamReadConstraints}), so a small body
 * cannot cost deep recursion or quadratic number parsing.
 *
 * @param maxDepth the deepest nesting of objects and arrays
 * @param maxStringLength the longest string value in characters; 0 means the request's
 *     {@code maxEventBytes} (a longer string cannot belong to a valid event anyway)
 * @param maxNumberLength the most characters of one number
 */
public record JsonLimits(int maxDepth, int maxStringLength, int maxNumberLength) {

  public static final JsonLimits DEFAULTS = new JsonLimits(64, 0, 100);

  public JsonLimits {
    if (maxDepth <= 0) {
      throw new IllegalArgumentException("ingest maxJsonDepth must be positive, got " + maxDepth);
    }
    if (maxStringLength < 0) {
      throw new IllegalArgumentException("ingest maxStringLength must not be negative, got " + maxStringLength);
    }
    if (maxNumberLength <= 0) {
      throw new IllegalArgumentException("ingest maxNumberLength must be positive, got " + maxNumberLength);
    }
  }

  /** The string bound in force for a given per-event limit. */
  int stringLengthFor(int maxEventBytes) {
    return maxStringLength == 0 ? maxEventBytes : maxStringLength;
  }
}
