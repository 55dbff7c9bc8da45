package dev.herald.ingest;

import dev.herald.bus.log.EventLog;
import dev.herald.bus.log.embedded.EmbeddedEventLog;
import dev.herald.bus.log.embedded.EmbeddedLogOptions;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Opens the log the ingest tests run against: the real embedded log, fsync on every append. */
final class TestLogs {

  private TestLogs() {}

  static EventLog open(Vertx vertx, Path dir) {
    try {
      return EmbeddedEventLog.open(vertx, EmbeddedLogOptions.defaults(dir)).await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot open the embedded log in " + dir, e);
    }
  }
}
