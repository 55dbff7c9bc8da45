package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code context.ip} from the connection, never from X-Forwarded-For without trustProxy, then the source's policy. */
class ClientIpTest extends IngestTestBase {

  static final String TRUNCATING_KEY = "wk_truncating_1";
  static final String DROPPING_KEY = "wk_dropping_2";

  @Override
  IngestOptions options() {
    return super.options().withSources(List.of(new SourceOptions("web", WEB_KEY),
        new SourceOptions("truncating", TRUNCATING_KEY).withIpPolicy(IpPolicy.TRUNCATE),
        new SourceOptions("dropping", DROPPING_KEY).withIpPolicy(IpPolicy.DROP)));
  }

  JsonObject storedContext(String key, JsonObject event, String forwardedFor) throws Exception {
    MultiMap headers = headers(key, "application/json");
    if (forwardedFor != null) {
      headers.add("X-Forwarded-For", forwardedFor);
    }
    int before = readLog().size();
    assertEquals(200, post("/v1/track", event.toBuffer(), headers).statusCode());
    return readLog().get(before).event().payload().getJsonObject("context");
  }

  @Test
  void keepStoresTheConnectionAddressAndIgnoresForwardedFor() throws Exception {
    assertEquals("127.0.0.1", storedContext(WEB_KEY, track("u", "E"), null).getString("ip"));
    assertEquals("127.0.0.1", storedContext(WEB_KEY, track("u", "E"), "203.0.113.77").getString("ip"));
  }

  @Test
  void truncateZeroesTheLastOctet() throws Exception {
    assertEquals("127.0.0.0", storedContext(TRUNCATING_KEY, track("u", "E"), null).getString("ip"));
  }

  @Test
  void dropStoresNoAddressEvenOneTheClientSent() throws Exception {
    // Nothing to store and no context sent: the event has no context at all.
    assertNull(storedContext(DROPPING_KEY, track("u", "E"), null));
    JsonObject context = storedContext(DROPPING_KEY, track("u", "E").put("context",
        new JsonObject().put("ip", "198.51.100.7").put("locale", "de-DE")), null);
    assertNull(context.getValue("ip"));
    assertEquals("de-DE", context.getString("locale"));
  }

  @Test
  void anAddressTheClientSentIsKeptAndStillSubjectToThePolicy() throws Exception {
    JsonObject sent = track("u", "E").put("context", new JsonObject().put("ip", "198.51.100.7"));
    assertEquals("198.51.100.7", storedContext(WEB_KEY, sent.copy(), null).getString("ip"));
    assertEquals("198.51.100.0", storedContext(TRUNCATING_KEY, sent.copy(), null).getString("ip"));
    // Text that is no address cannot be anonymized, so a truncating source stores none.
    JsonObject notAnAddress = track("u", "E").put("context", new JsonObject().put("ip", "example.com"));
    assertFalse(storedContext(TRUNCATING_KEY, notAnAddress, null).containsKey("ip"));
  }

  @Test
  void batchItemsEachGetTheirOwnContext() throws Exception {
    JsonObject body = new JsonObject().put("context", new JsonObject().put("locale", "en-GB"))
        .put("batch", new JsonArray().add(track("u", "A").put("type", "track")
            .put("context", new JsonObject().put("ip", "198.51.100.9"))).add(track("u", "B").put("type", "track")));
    assertEquals(200, post("/v1/batch", body, TRUNCATING_KEY).statusCode());
    List<JsonObject> contexts = readLog().stream().map(e -> e.event().payload().getJsonObject("context")).toList();
    assertEquals(new JsonObject().put("ip", "198.51.100.0").put("locale", "en-GB"), contexts.get(0));
    assertEquals(new JsonObject().put("locale", "en-GB").put("ip", "127.0.0.0"), contexts.get(1));
  }

  @Test
  void truncationRules() {
    assertEquals("192.0.2.0", ClientAddress.truncate("192.0.2.219"));
    assertEquals("2001:db8:85a3::", ClientAddress.truncate("2001:db8:85a3:8d3:1319:8a2e:370:7348"));
    assertEquals("2001:db8::", ClientAddress.truncate("2001:0db8:0000:ffff:1:2:3:4"));
    assertEquals("192.0.2.0", ClientAddress.truncate("::ffff:192.0.2.219"));
    assertEquals("fe80::", ClientAddress.truncate("fe80::1%eth0"));
    assertNull(ClientAddress.truncate("localhost"));
    assertNull(ClientAddress.truncate("999.1.1.1"));
    assertNull(ClientAddress.truncate(""));
    assertEquals("::1", ClientAddress.canonical("0:0:0:0:0:0:0:1"));
    assertEquals("10.1.2.3", ClientAddress.canonical("::ffff:10.1.2.3"));
  }
}
