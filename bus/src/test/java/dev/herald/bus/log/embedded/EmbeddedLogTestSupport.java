package dev.herald.bus.log.embedded;

import java.nio.file.Path;
import java.time.Duration;

/** Options of the embedded log under test. */
final class EmbeddedLogTestSupport {

  private EmbeddedLogTestSupport() {}

  /** Fsync on every append, no retention bound, segments rolling past {@code segmentBytes}. */
  static EmbeddedLogOptions options(Path dir, long segmentBytes) {
    return new EmbeddedLogOptions(dir, EmbeddedLogOptions.Fsync.ALWAYS, Duration.ofSeconds(1),
        segmentBytes, 0, null);
  }
}
