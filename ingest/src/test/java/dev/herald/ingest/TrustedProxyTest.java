package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** With {@code trustProxy}, the client address is the first valid one in X-Forwarded-For. */
class TrustedProxyTest extends ClientIpTest {

  @Override
  IngestOptions options() {
    return super.options().withTrustProxy(true);
  }

  @Override
  @Test
  void keepStoresTheConnectionAddressAndIgnoresForwardedFor() throws Exception {
    assertEquals("203.0.113.77", storedContext(WEB_KEY, track("u", "E"), "203.0.113.77, 10.0.0.2").getString("ip"));
    assertEquals("127.0.0.1", storedContext(WEB_KEY, track("u", "E"), null).getString("ip"));
  }

  @Test
  void forwardedForVariants() throws Exception {
    for (List<String> c : List.of(
        List.of("203.0.113.5:4711", "203.0.113.5"),
        List.of("[2001:db8::7]:443, 10.0.0.1", "2001:db8::7"),
        List.of("unknown, 198.51.100.3", "198.51.100.3"),
        List.of("garbage", "127.0.0.1"))) {
      assertEquals(c.get(1), storedContext(WEB_KEY, track("u", "E"), c.get(0)).getString("ip"), c.get(0));
    }
  }

  @Test
  void forwardedAddressesAreTruncatedToo() throws Exception {
    assertEquals("2001:db8:85a3::", storedContext(TRUNCATING_KEY, track("u", "E"),
        "2001:db8:85a3:8d3:1319:8a2e:370:7348").getString("ip"));
    assertEquals("203.0.113.0", storedContext(TRUNCATING_KEY, track("u", "E"), "203.0.113.77").getString("ip"));
  }
}
