package dev.herald.bus.log.embedded;

import static dev.herald.bus.log.LogTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.herald.bus.log.LogEntry;
import dev.herald.bus.log.LogSubscription;
import dev.herald.destination.api.Event;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Payloads read from the log are slices of the buffer they were read into, not copies: an event
 * kept from an early poll still holds its own bytes after many later reads (the reader never
 * writes into a buffer it lent out), also while the writer appends behind a tailing reader.
 */
@ExtendWith(VertxExtension.class)
class SlicedPayloadTest {

  @TempDir Path dir;

  @Test
  void payloadsKeptFromEarlierPollsAreUnchangedAfterManyLaterReadsAndAppends(Vertx vertx) throws Exception {
    EmbeddedEventLog log = await(EmbeddedEventLog.open(vertx, EmbeddedLogTestSupport.options(dir, 64 * 1024)));
    LogSubscription subscription = await(log.subscribe("dest"));
    Random random = new Random(11);
    List<Event> appended = new ArrayList<>();
    List<LogEntry> read = new ArrayList<>();
    for (int round = 0; round < 40; round++) {
      List<Event> batch = new ArrayList<>();
      for (int i = 0; i < 1 + random.nextInt(60); i++) {
        int n = appended.size() + batch.size();
        // Sizes from a few bytes to past the reader's 256 KB window, so windows are refilled and grown.
        String filler = "é".repeat(random.nextInt(random.nextInt(10) == 0 ? 200_000 : 500));
        JsonObject payload = new JsonObject().put("messageId", "m-" + n).put("filler", filler);
        batch.add(new Event("m-" + n, "track", "analytics", "web", "u" + (n % 7), Instant.ofEpochMilli(n),
            payload.toBuffer()));
      }
      await(log.append(batch));
      appended.addAll(batch);
      read.addAll(await(subscription.poll(1 + random.nextInt(40), 1 + random.nextInt(400_000))));
    }
    while (read.size() < appended.size()) read.addAll(await(subscription.poll(1000, Long.MAX_VALUE)));

    assertEquals(appended.size(), read.size());
    for (int i = 0; i < appended.size(); i++) {
      Buffer expected = appended.get(i).payloadBytes();
      Event got = read.get(i).event();
      assertEquals(i, read.get(i).offset());
      assertEquals(appended.get(i).messageId(), got.messageId());
      assertEquals(expected, got.payloadBytes(), "payload of event " + i);
      assertEquals("m-" + i, got.payload().getString("messageId"));
    }
    await(subscription.close());
    await(log.close());
  }
}
