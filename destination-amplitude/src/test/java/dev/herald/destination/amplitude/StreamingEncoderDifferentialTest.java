package dev.herald.destination.amplitude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.destination.api.Event;
import dev.herald.destination.api.SendResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The streaming encoder against the mapping it replaced ({@link LegacyBatch}), over seeded corpora
 * of generated Segment events: equal Amplitude JSON per event, the same rejections, and equal
 * request bodies cut at the same places. Strings are copied as stored, so a string the old mapping
 * decoded and encoded again may differ in its escapes (a stored {@code \uD83D\uDE00} stays so
 * where the old mapping wrote the UTF-8 bytes): events are compared as JSON, and byte for byte
 * over realistic events, which hold no such escapes.
 */
class StreamingEncoderDifferentialTest {

  private static final long SEED = 20261129L;

  @Test
  void everyEventOfAVariedCorpusMapsToTheSameJsonAsBefore() {
    for (JsonObject extra : List.of(new JsonObject(), new JsonObject().put("groupTypeTrait", "kind")
        .put("pageEventName", "  Page:\t{name}  viewed ").put("aliasMode", "skip"))) {
      AmplitudeConfig config = SegmentMapperTest.config(extra);
      LegacySegmentMapper legacy = new LegacySegmentMapper(config);
      SegmentMapper streaming = new SegmentMapper(config);
      int events = 0;
      for (Event event : SegmentCorpus.varied(SEED, 8_000)) {
        LegacySegmentMapper.Mapping before = legacy.map(event);
        SegmentMapper.Mapping after = streaming.map(event);
        String where = event.messageId() + " " + event.payloadBytes();
        assertEquals(before.rejection(), after.rejection(), where);
        assertEquals(before.events().size(), after.events().size(), where);
        for (int i = 0; i < before.events().size(); i++) {
          LegacySegmentMapper.Mapped old = before.events().get(i);
          SegmentMapper.Mapped now = after.events().get(i);
          assertEquals(new JsonObject(old.json()), new JsonObject(now.json()), where);
          assertEquals(old.userId(), now.userId(), where);
          assertEquals(old.deviceId(), now.deviceId(), where);
          events++;
        }
      }
      assertTrue(events > 6_000, "the corpus mostly maps: " + events);
    }
  }

  @Test
  void realisticEventsMapToTheSameBytesAsBefore() {
    AmplitudeConfig config = SegmentMapperTest.config(new JsonObject());
    LegacySegmentMapper legacy = new LegacySegmentMapper(config);
    SegmentMapper streaming = new SegmentMapper(config);
    for (Event event : SegmentCorpus.realistic(SEED, 8_000)) {
      LegacySegmentMapper.Mapping before = legacy.map(event);
      SegmentMapper.Mapping after = streaming.map(event);
      assertEquals(before.events().stream().map(m -> m.json().toString()).toList(),
          after.events().stream().map(m -> m.json().toString()).toList(), event.messageId());
    }
  }

  @Test
  void aBatchIsCutIntoTheSameRequestBodiesAsBefore() {
    for (JsonObject extra : List.of(new JsonObject(), new JsonObject().put("maxEventsPerRequest", 37),
        new JsonObject().put("api", "batch").put("minIdLength", 3))) {
      AmplitudeConfig config = SegmentMapperTest.config(extra);
      LegacyBatch legacy = new LegacyBatch(config);
      BatchEncoder streaming = new BatchEncoder(config);
      List<Event> corpus = SegmentCorpus.varied(SEED + 1, 3_000);
      for (List<Event> batch : EncodeBenchmark.batches(corpus, config)) {
        LegacyBatch.Encoded before = legacy.encode(batch);
        BatchEncoder.Prepared after = streaming.encode(batch);
        assertSameBodies(before.bodies(), after.requests());
        List<String> rejections = new ArrayList<>();
        for (SendResult outcome : after.unsendable()) {
          rejections.add(outcome instanceof SendResult.Rejected r ? r.reason() : null);
        }
        assertEquals(Arrays.asList(before.rejections()), rejections);
        List<JsonObject> units = after.units().stream().filter(u -> u.outcome == null)
            .map(u -> new JsonObject(u.bytes.slice(u.offset, u.offset + u.length))).toList();
        assertEquals(before.events().stream().map(JsonObject::new).toList(), units, "each unit points at its own bytes");
      }
    }
  }

  @Test
  void damagedPayloadsAmongGoodOnesFareAsBeforeWhereverTheyLie() {
    // One parser reads a batch's payloads one after another: none of these may take its
    // neighbours with it, and each must fare as it did when read alone.
    String[] damaged = {
        "{\"type\":\"track\",\"event\":\"Trailing\",\"userId\":\"user-1\"} trailing",
        "{\"type\":\"track\",\"event\":\"Cut\",\"userId\":\"user-2\"",
        "{\"type\":\"track\",\"event\":\"Open string",
        "{\"type\":\"track\",\"event\":\"Open escape\\",
        "[1,2]", "\"text\"", "42", "", "   ", "}", "{", "1}",
        "\uFEFF{\"type\":\"track\",\"event\":\"Bom\",\"userId\":\"user-3\"}",
        "  {\"type\":\"track\",\"event\":\"Spaced\",\"userId\":\"user-4\"}  ",
        "{\"type\":\"track\",\"event\":\"Twice\",\"userId\":\"user-5\"}{\"type\":\"track\"}",
        "{\"type\":\"track\",\"event\":\"Bad number\",\"properties\":{\"quantity\":1e999999}}",
        "{\"type\":\"track\",\"event\":\"Huge quantity\",\"properties\":{\"quantity\":123456789012345678901234567890}}",
    };
    java.util.Random random = new java.util.Random(SEED);
    List<Event> good = SegmentCorpus.varied(SEED + 2, 400);
    List<Event> batch = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      batch.add(good.get(i));
      if (random.nextInt(4) == 0) {
        String text = damaged[random.nextInt(damaged.length)];
        batch.add(new Event("bad-" + i, "track", "analytics", "web", "bad-" + i,
            java.time.Instant.parse("2026-11-23T10:00:00Z"), Buffer.buffer(text)));
      }
    }
    AmplitudeConfig config = SegmentMapperTest.config(new JsonObject());
    for (List<Event> part : EncodeBenchmark.batches(batch, config)) {
      LegacyBatch.Encoded before = new LegacyBatch(config).encode(part);
      BatchEncoder.Prepared after = new BatchEncoder(config).encode(part);
      assertSameBodies(before.bodies(), after.requests());
      List<String> rejections = new ArrayList<>();
      for (SendResult outcome : after.unsendable()) rejections.add(outcome instanceof SendResult.Rejected r ? r.reason() : null);
      assertEquals(Arrays.asList(before.rejections()), rejections);
    }
  }

  @Test
  void requestsCutForSizeHoldTheSameEventsAsBefore() {
    // Events of ~40 KB: an HTTP V2 body (under 1 MB) takes about 24 of them.
    AmplitudeConfig config = SegmentMapperTest.config(new JsonObject());
    List<Event> batch = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      batch.add(SegmentMapperTest.segment("track", new JsonObject().put("event", "Big").put("userId", "user-" + i)
          .put("messageId", "big-" + i).put("properties", new JsonObject().put("pad", "x".repeat(40_000 + i)))));
    }
    LegacyBatch.Encoded before = new LegacyBatch(config).encode(batch);
    BatchEncoder.Prepared after = new BatchEncoder(config).encode(batch);
    assertTrue(before.bodies().size() >= 4, "cut on bytes: " + before.bodies().size());
    assertSameBodies(before.bodies(), after.requests());
  }

  private static void assertSameBodies(List<Buffer> before, List<BatchEncoder.Request> after) {
    assertEquals(before.size(), after.size(), "requests");
    for (int i = 0; i < before.size(); i++) {
      assertEquals(before.get(i).length() > 0, after.get(i).body().length() > 0);
      assertEquals(new JsonObject(before.get(i)), new JsonObject(after.get(i).body()), "request " + i);
      assertEquals(new JsonObject(before.get(i)).getJsonArray("events").size(), after.get(i).units().size(), "request " + i);
    }
  }
}
