package dev.herald.bus.router;

import java.nio.charset.StandardCharsets;

/**
 * One thread scanning stored payloads for the {@code "integrations"} key as the filter does for every
 * event and destination: the byte-by-byte scan it used before ({@link PayloadFieldsTest#plainScan})
 * and the eight-at-a-time scan, in the same run, alternating. The payloads are the bench's ~600-byte
 * track events without the key (the common case: the whole payload is scanned), laid one after
 * the other in one array as the log hands them out. Prints ns per event.
 *
 * <pre>java -cp ... dev.herald.bus.router.PayloadFieldsBench [events=2000000] [rounds=5]</pre>
 */
public final class PayloadFieldsBench {

  private static final byte[] KEY = "\"integrations\"".getBytes(StandardCharsets.UTF_8);

  public static void main(String[] args) {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int distinct = 1024;
    StringBuilder log = new StringBuilder();
    int[] starts = new int[distinct + 1];
    for (int i = 0; i < distinct; i++) {
      starts[i] = log.length();
      log.append("{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"user-").append(i * 7)
          .append("\",\"messageId\":\"bench-").append(1_000_000 + i)
          .append("\",\"timestamp\":\"2026-11-23T10:00:00.000Z\",\"properties\":{\"plan\":\"pro\",\"amount\":42.5,")
          .append("\"currency\":\"EUR\",\"items\":[{\"sku\":\"A-100\",\"qty\":1},{\"sku\":\"B-200\",\"qty\":2}],")
          .append("\"referrer\":\"https://example.com/landing/spring-campaign?utm_source=newsletter\"},")
          .append("\"context\":{\"library\":{\"name\":\"analytics-java\",\"version\":\"3.5.4\"},")
          .append("\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)\",")
          .append("\"locale\":\"en-GB\",\"timezone\":\"Europe/Berlin\"}}");
    }
    starts[distinct] = log.length();
    byte[] bytes = log.toString().getBytes(StandardCharsets.UTF_8);
    System.out.printf("%d-byte payloads on average%n", bytes.length / distinct);
    for (int r = 1; r <= rounds; r++) {
      System.out.printf("round %d: byte-by-byte scan %.1f ns/event, eight-at-a-time scan %.1f ns/event%n", r,
          run(bytes, starts, events, false), run(bytes, starts, events, true));
    }
  }

  private static double run(byte[] bytes, int[] starts, int events, boolean swar) {
    int hits = 0;
    int mask = starts.length - 2; // distinct is a power of two
    long start = System.nanoTime();
    for (int i = 0; i < events; i++) {
      int e = i & mask;
      boolean found = swar ? PayloadFields.contains(bytes, starts[e], starts[e + 1], KEY)
          : PayloadFieldsTest.plainScan(bytes, starts[e], starts[e + 1], KEY);
      hits += found ? 1 : 0;
    }
    double ns = (System.nanoTime() - start) / (double) events;
    if (hits != 0) throw new AssertionError("no payload holds the key");
    return ns;
  }
}
