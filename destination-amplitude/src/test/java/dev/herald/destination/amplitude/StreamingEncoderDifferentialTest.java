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
      for (Event event : SegmentCorpus.varied(SEED, 20_000)) {
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
      assertTrue(events > 15_000, "the corpus mostly maps: " + events);
    }
  }

  @Test
  void realisticEventsMapToTheSameBytesAsBefore() {
    AmplitudeConfig config = SegmentMapperTest.config(new JsonObject());
    LegacySegmentMapper legacy = new LegacySegmentMapper(config);
    SegmentMapper streaming = new SegmentMapper(config);
    for (Event event : SegmentCorpus.realistic(SEED, 20_000)) {
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
      List<Event> corpus = SegmentCorpus.varied(SEED + 1, 5_000);
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
