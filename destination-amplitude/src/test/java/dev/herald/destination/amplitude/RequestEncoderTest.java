package dev.herald.destination.amplitude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Request bodies and how a batch is cut into requests, on the encoded bytes. */
class RequestEncoderTest {

  private static Unit unit(int owner, int padding) {
    JsonObject event = new JsonObject().put("event_type", "E").put("user_id", "user-" + owner)
        .put("event_properties", new JsonObject().put("pad", "p".repeat(padding)));
    return new Unit(owner, event.toBuffer(), "user-" + owner, null, "user-" + owner);
  }

  @Test
  void theBodyCarriesTheKeyTheEventsAndTheMinIdLength() {
    RequestEncoder encoder = new RequestEncoder(SegmentMapperTest.config(new JsonObject()
        .put("apiKey", "k\"ey").put("minIdLength", 3)));
    Buffer body = encoder.body(List.of(unit(0, 1), unit(1, 1)));
    JsonObject json = new JsonObject(body);
    assertEquals("k\"ey", json.getString("api_key"), "the key is escaped as JSON");
    assertEquals(2, json.getJsonArray("events").size());
    assertEquals("user-1", json.getJsonArray("events").getJsonObject(1).getString("user_id"));
    assertEquals(new JsonObject().put("min_id_length", 3), json.getJsonObject("options"));
    assertFalse(new JsonObject(new RequestEncoder(SegmentMapperTest.config(new JsonObject())).body(List.of(unit(0, 1))))
        .containsKey("options"), "no options unless configured");
  }

  @Test
  void httpV2RequestsHoldAtMost2000EventsAndStayUnder1MbEncoded() {
    RequestEncoder encoder = new RequestEncoder(SegmentMapperTest.config(new JsonObject()));
    List<Unit> small = new ArrayList<>();
    for (int i = 0; i < 4500; i++) small.add(unit(i, 10));
    assertEquals(List.of(2000, 2000, 500), encoder.requests(small).stream().map(List::size).toList());

    List<Unit> large = new ArrayList<>();
    for (int i = 0; i < 1000; i++) large.add(unit(i, 2_000)); // about 2 MB in all
    List<List<Unit>> requests = encoder.requests(large);
    assertTrue(requests.size() >= 3, "cut on bytes: " + requests.size());
    int total = 0;
    for (List<Unit> request : requests) {
      int bytes = encoder.body(request).length();
      assertTrue(bytes < 1_000_000, "under 1 MB: " + bytes);
      total += request.size();
    }
    assertEquals(1000, total);
    assertTrue(encoder.body(requests.get(0)).length() > 990_000, "filled close to the bound");
    assertEquals(large.get(0), requests.get(0).get(0), "in order");
  }

  @Test
  void batchRequestsMayGrowTo20Mb() {
    RequestEncoder encoder = new RequestEncoder(SegmentMapperTest.config(new JsonObject().put("api", "batch")));
    List<Unit> large = new ArrayList<>();
    for (int i = 0; i < 3000; i++) large.add(unit(i, 2_000)); // about 6 MB
    assertEquals(1, encoder.requests(large).size());
    assertFalse(encoder.tooLarge(unit(0, 5_000_000)));
    assertTrue(encoder.tooLarge(unit(0, 20_000_000)));
    assertTrue(new RequestEncoder(SegmentMapperTest.config(new JsonObject())).tooLarge(unit(0, 1_000_000)));
  }
}
