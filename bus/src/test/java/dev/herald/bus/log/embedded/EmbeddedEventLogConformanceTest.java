package dev.herald.bus.log.embedded;

import static dev.herald.bus.log.LogTestSupport.await;

import dev.herald.bus.log.EventLog;
import dev.herald.bus.log.EventLogConformanceTest;
import dev.herald.bus.log.LogEntry;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** The conformance suite on the embedded segment-file log, with small segments. */
class EmbeddedEventLogConformanceTest extends EventLogConformanceTest {

  private static final long SEGMENT_BYTES = 4096;

  @TempDir
  Path dir;

  @Override
  protected EventLog open(Vertx vertx) throws Exception {
    return await(EmbeddedEventLog.open(vertx, options(0)));
  }

  private EmbeddedLogOptions options(long retentionMaxBytes) {
    return new EmbeddedLogOptions(dir.resolve("log"), EmbeddedLogOptions.Fsync.ALWAYS,
        Duration.ofSeconds(1), SEGMENT_BYTES, retentionMaxBytes, null);
  }

  @Override
  protected Retained applyRetention(Vertx vertx, EventLog log, List<LogEntry> entries)
      throws Exception {
    await(log.close());
    long stored;
    try (Stream<Path> segments = Files.list(dir.resolve("log").resolve("segments"))) {
      stored = segments.mapToLong(p -> p.toFile().length()).sum();
    }
    EmbeddedEventLog bounded = await(EmbeddedEventLog.open(vertx, options(stored / 2)));
    await(bounded.enforceRetention());
    return new Retained(bounded, Map.of(0, bounded.startOffset()));
  }

  @Override
  protected Map<String, Long> retentionLosses(EventLog log) {
    return ((EmbeddedEventLog) log).retentionLosses();
  }
}
