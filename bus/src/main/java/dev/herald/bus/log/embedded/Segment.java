package dev.herald.bus.log.embedded;

import java.nio.file.Path;

/** One segment file: the records from {@code baseOffset} up to the next segment's base. */
final class Segment {

  static final String SUFFIX = ".log";

  final long baseOffset;
  final Path path;
  /** Bytes written so far; the writer updates it, retention reads it. */
  volatile long sizeBytes;

  Segment(long baseOffset, Path path, long sizeBytes) {
    this.baseOffset = baseOffset;
    this.path = path;
    this.sizeBytes = sizeBytes;
  }

  static String fileName(long baseOffset) {
    return String.format("%020d%s", baseOffset, SUFFIX);
  }

  /** The base offset a segment file name encodes, or -1 for any other file. */
  static long parseBaseOffset(String fileName) {
    if (fileName.length() != 20 + SUFFIX.length() || !fileName.endsWith(SUFFIX)) {
      return -1;
    }
    for (int i = 0; i < 20; i++) {
      char c = fileName.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
    }
    return Long.parseLong(fileName.substring(0, 20));
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
