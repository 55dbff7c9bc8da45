package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Memory stays bounded whatever the traffic; past the bound the oldest ids go early, new events are never refused. */
class DedupMemoryTest extends IngestTestBase {

  @Override
  IngestOptions options() {
    return super.options().withDedup(DedupOptions.DEFAULTS.withMaxEntries(250));
  }

  @Test
  void boundedWithoutFalseDuplicates() throws Exception {
    int sent = 0;
    for (int request = 0; request < 20; request++) {
      JsonArray items = new JsonArray();
      for (int i = 0; i < 100; i++) {
        items.add(track("u", "E").put("type", "track").put("messageId", "bulk-" + (sent++)));
      }
      JsonObject answer = json(post("/v1/batch", new JsonObject().put("batch", items), WEB_KEY));
      assertEquals(100, answer.getInteger("accepted"));
      assertTrue(state.deduplicator().size() <= 250, "holds " + state.deduplicator().size());
    }
    assertTrue(state.deduplicator().evicted() >= 2000 - 250, "evicted " + state.deduplicator().evicted());
    assertEquals(2000, readLog().size());

    // Only the oldest go: the newest 200 are still duplicates, the first 100 are new again.
    JsonArray newest = new JsonArray();
    JsonArray oldest = new JsonArray();
    for (int i = 0; i < 200; i++) {
      newest.add(track("u", "E").put("type", "track").put("messageId", "bulk-" + (1800 + i)));
    }
    for (int i = 0; i < 100; i++) {
      oldest.add(track("u", "E").put("type", "track").put("messageId", "bulk-" + i));
    }
    assertEquals(200, json(post("/v1/batch", new JsonObject().put("batch", newest), WEB_KEY)).getInteger("duplicates"));
    assertEquals(100, json(post("/v1/batch", new JsonObject().put("batch", oldest), WEB_KEY)).getInteger("accepted"));
  }
}
