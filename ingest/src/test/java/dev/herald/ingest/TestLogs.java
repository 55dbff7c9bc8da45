package dev.herald.ingest;

import dev.herald.bus.log.EventLog;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/** Opens the log the ingest tests run against. */
final class TestLogs {

  private TestLogs() {}

  static EventLog open(Vertx vertx, Path dir) {
    return new InMemoryEventLog();
  }
}
