package dev.herald.bus.log.embedded;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the embedded log ({@code log:} in herald.yaml).
 *
 * @param dir where segment files, cursors and dead letters live
 * @param fsync ALWAYS: an append completes after its bytes are fsynced (group commit);
 *     INTERVAL: appends complete after the write, fsync at least every {@code fsyncInterval}
 * @param segmentBytes a segment rolls over past this size
 * @param retentionMaxBytes the log keeps at most this many bytes (0 = no bound)
 * @param retentionMaxAge segments older than this go (null = no bound)
 * @param channels how segment files are opened ({@link ChannelOpener#DEFAULT} unless a test
 *     injects faults)
 */
public record EmbeddedLogOptions(Path dir, Fsync fsync, Duration fsyncInterval, long segmentBytes,
    long retentionMaxBytes, Duration retentionMaxAge, ChannelOpener channels) {

  public enum Fsync { ALWAYS, INTERVAL }

  public EmbeddedLogOptions {
    channels = channels == null ? ChannelOpener.DEFAULT : channels;
  }

  public EmbeddedLogOptions(Path dir, Fsync fsync, Duration fsyncInterval, long segmentBytes,
      long retentionMaxBytes, Duration retentionMaxAge) {
    this(dir, fsync, fsyncInterval, segmentBytes, retentionMaxBytes, retentionMaxAge,
        ChannelOpener.DEFAULT);
  }

  /** The same settings, opening segment files through {@code opener}. */
  public EmbeddedLogOptions withChannels(ChannelOpener opener) {
    return new EmbeddedLogOptions(dir, fsync, fsyncInterval, segmentBytes, retentionMaxBytes,
        retentionMaxAge, opener);
  }

  /** Null when the settings are usable, else what is wrong with them. */
  public String problem() {
    if (dir == null) {
      return "log.dir is required";
    }
    if (fsync == null) {
      return "log.fsync must be always or interval";
    }
    if (fsync == Fsync.INTERVAL
        && (fsyncInterval == null || fsyncInterval.isNegative() || fsyncInterval.isZero())) {
      return "log.fsyncInterval must be positive when log.fsync is interval";
    }
    if (segmentBytes <= 0) {
      return "log.segmentBytes must be positive, not " + segmentBytes;
    }
    if (retentionMaxBytes < 0) {
      return "log.retention.maxBytes must not be negative";
    }
    if (retentionMaxAge != null && retentionMaxAge.isNegative()) {
      return "log.retention.maxAge must not be negative";
    }
    return null;
  }

  /** Where the destinations' dead-letter files live: beside the log's segments and cursors. */
  public Path deadLetterDir() {
    return dir.resolve("dead-letters");
  }

  public static EmbeddedLogOptions defaults(Path dir) {
    return new EmbeddedLogOptions(dir, Fsync.ALWAYS, Duration.ofSeconds(1), 64L * 1024 * 1024,
        10L * 1024 * 1024 * 1024, Duration.ofDays(7));
  }
}
