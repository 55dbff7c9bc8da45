package dev.herald.launcher.config;

import dev.herald.bus.log.EmbeddedLogOptions;
import java.nio.file.Path;
import java.time.Duration;

/** {@code log:} where accepted events are stored. Only the embedded log exists so far. */
public record LogConfig(Type type, Path dir, EmbeddedLogOptions.Fsync fsync, Duration fsyncInterval, long segmentBytes,
    long retentionMaxBytes, Duration retentionMaxAge) {

  public enum Type { EMBEDDED, KAFKA }

  public static LogConfig defaults(Path dir) {
    EmbeddedLogOptions d = EmbeddedLogOptions.defaults(dir);
    return new LogConfig(Type.EMBEDDED, dir, d.fsync(), d.fsyncInterval(), d.segmentBytes(), d.retentionMaxBytes(),
        d.retentionMaxAge());
  }

  public EmbeddedLogOptions embeddedOptions() {
    return new EmbeddedLogOptions(dir, fsync, fsyncInterval, segmentBytes, retentionMaxBytes, retentionMaxAge);
  }

  /** Where each destination's dead-letter store lives. */
  public Path deadLetterDir() {
    return dir.resolve("dead-letters");
  }
}
