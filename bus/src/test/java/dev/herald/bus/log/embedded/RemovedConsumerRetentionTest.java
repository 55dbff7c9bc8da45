package dev.herald.bus.log.embedded;

import static dev.herald.bus.log.LogTestSupport.await;
import static dev.herald.bus.log.LogTestSupport.events;
import static dev.herald.bus.log.embedded.EmbeddedLogTestSupport.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogSubscription;
import dev.herald.bus.log.LogTestSupport;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class RemovedConsumerRetentionTest {

  @TempDir
  Path dir;

  @Test
  void cursorsOfConsumersNoLongerConfiguredAreDroppedAndStopHoldingBackRetention(Vertx vertx)
      throws Exception {
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, options(dir, 1024)));
    LogSubscription kept = await(log.subscribe("kept"));
    await(log.subscribe("removed"));
    await(log.append(events(0, 60)));
    await(kept.commit(Map.of(0, 60L)));
    await(log.close());

    try (LogTestSupport.CapturedLog captured =
        new LogTestSupport.CapturedLog(EmbeddedEventLog.class)) {
      EmbeddedEventLog reopened = await(EmbeddedEventLog.open(vertx, options(dir, 1024)));
      LogSubscription open = await(reopened.subscribe("open-but-unlisted"));
      assertEquals(Set.of("removed"), await(reopened.retainCursors(Set.of("kept"))));
      assertEquals(Set.of("kept", "open-but-unlisted"), reopened.committedOffsets().keySet());
      assertFalse(Files.exists(dir.resolve("cursors/removed.cursor")));
      assertTrue(captured.warnings().stream().anyMatch(w -> w.contains("removed")
          && w.contains("committed offset 0")), captured.warnings().toString());

      await(open.commit(Map.of(0, 60L)));
      List<Long> bases = reopened.segmentBaseOffsetsForTest();
      await(reopened.enforceRetention());
      assertEquals(bases.get(bases.size() - 1), reopened.startOffset(),
          "nothing holds back retention any more");
      assertEquals(Map.of(), reopened.retentionLosses());
      assertEquals(Set.of(), await(reopened.retainCursors(Set.of("kept", "open-but-unlisted"))));
      await(reopened.close());
    }
  }
}
