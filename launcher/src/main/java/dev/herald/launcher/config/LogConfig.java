package dev.herald.launcher.config;

import dev.herald.bus.log.embedded.EmbeddedLogOptions;
import dev.herald.bus.log.kafka.KafkaLogOptions;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code log:} where accepted events are stored: the embedded log in {@code dir}, or Kafka as
 * {@code kafka} says (then {@code dir} and the embedded settings are unused).
 */
public record LogConfig(Type type, Path dir, EmbeddedLogOptions.Fsync fsync, Duration fsyncInterval, long segmentBytes,
    long retentionMaxBytes, Duration retentionMaxAge, KafkaLogOptions kafka) {

  public enum Type { EMBEDDED, KAFKA }

  public static LogConfig defaults(Path dir) {
    EmbeddedLogOptions d = EmbeddedLogOptions.defaults(dir);
    return new LogConfig(Type.EMBEDDED, dir, d.fsync(), d.fsyncInterval(), d.segmentBytes(), d.retentionMaxBytes(),
        d.retentionMaxAge(), KafkaLogOptions.defaults(null));
  }

  public EmbeddedLogOptions embeddedOptions() {
    return new EmbeddedLogOptions(dir, fsync, fsyncInterval, segmentBytes, retentionMaxBytes, retentionMaxAge);
  }

  /** Where each destination's dead-letter store lives. */
  public Path deadLetterDir() {
    return dir.resolve("dead-letters");
  }
}
