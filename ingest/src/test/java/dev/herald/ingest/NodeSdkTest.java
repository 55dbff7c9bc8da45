package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.bus.log.LogEntry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SDK matrix's server side: Segment's {@code @segment/analytics-node} and RudderStack's
 * {@code @rudderstack/rudder-sdk-node}, as pinned in src/test/sdk/package-lock.json, run unchanged
 * in Node against this Herald; every call of every type arrives exactly once with its fields.
 */
class NodeSdkTest extends IngestTestBase {

  private static final int CALLS = 60;

  private JsonObject runNode(String sdk, JsonArray calls) throws Exception {
    Path dir = SdkTools.sdks();
    Path callsFile = Files.createTempFile(SdkTools.WORK, sdk + "-calls-", ".json");
    Files.writeString(callsFile, calls.encode());
    String output = SdkTools.run(dir, 60, "node", "node-sdk.cjs", sdk, "http://127.0.0.1:" + port, WEB_KEY,
        callsFile.toString());
    return new JsonObject(SdkTools.lastLine(output));
  }

  private List<LogEntry> assertAllArrived(JsonArray calls) throws Exception {
    List<LogEntry> entries = awaitLogSize(calls.size());
    assertEquals(List.of(), SdkCalls.problems(calls, entries, true));
    assertEquals(calls.size(), entries.size(), "no other event arrived");
    return entries;
  }

  @Test
  void segmentsAnalyticsNodeDeliversEveryCallOnce() throws Exception {
    JsonArray calls = SdkCalls.of("segment-node", 0, CALLS, SdkCalls.ALL_TYPES);
    JsonObject report = runNode("segment", calls);
    assertEquals(new JsonArray(), report.getJsonArray("errors"));
    List<LogEntry> entries = assertAllArrived(calls);
    assertEquals(new HashSet<>(report.getJsonArray("messageIds").getList()), SdkCalls.messageIds(calls, entries),
        "the SDK's messageIds are the stored ones");
    JsonObject library = entries.get(0).event().payload().getJsonObject("context").getJsonObject("library");
    assertEquals("@segment/analytics-node", library.getString("name"));
  }

  @Test
  void rudderStacksNodeSdkDeliversEveryCallOnce() throws Exception {
    JsonArray calls = SdkCalls.of("rudder-node", 0, CALLS, SdkCalls.ALL_TYPES);
    JsonObject report = runNode("rudderstack", calls);
    assertEquals(new JsonArray(), report.getJsonArray("errors"));
    List<LogEntry> entries = assertAllArrived(calls);
    for (LogEntry entry : entries) {
      JsonObject payload = entry.event().payload();
      assertEquals("server", payload.getString("channel"));
      assertTrue(payload.getString("timestamp").endsWith("Z"), payload::encode);
      assertEquals("analytics-node", payload.getJsonObject("context").getJsonObject("library").getString("name"));
    }
  }
}
