package dev.herald.bench;

import dev.herald.bus.transform.TransformChain;
import dev.herald.destination.api.Event;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Events/s through a transform chain on one thread, as a runner applies it: DESIGN.md's
 * connector chain (remove, shift, default) over ~600-byte service records, each event's stored
 * bytes to a new event's bytes. Beside it, the floor every chain pays: the same events read and
 * written by an empty chain (JSON parse + serialize only). Usage:
 * {@code bench/transform.sh [seconds=20]}.
 */
public final class TransformBenchmark {

  static final String SEED_CHAIN = """
      [{"operation":"remove","spec":{"timestamp":""}},
       {"operation":"shift","spec":{"event":"events[0]"}},
       {"operation":"default","spec":{"api_key":"bench-amplitude-key"}}]""";

  public static void main(String[] args) {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    List<Event> events = records(10_000, new SplittableRandom(42));
    TransformChain seed = compile(SEED_CHAIN);
    TransformChain floor = compile("[]"); // no steps: the bytes parsed into maps and written back
    System.out.printf(Locale.ROOT, "record: %d bytes in, %d bytes out%n", events.get(0).payloadBytes().length(),
        seed.apply(events.get(0)).payloadBytes().length());
    run(seed, events, 2); // warm-up: JIT
    run(floor, events, 2);
    // Short alternating rounds, so that load from elsewhere on the machine hits both alike.
    int rounds = Math.max(3, seconds / 2);
    double[] chained = new double[rounds];
    double[] floors = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      chained[r] = run(seed, events, 2);
      floors[r] = run(floor, events, 2);
    }
    report("3-step chain (remove, shift, default)", chained);
    report("no steps (parse + serialize: the floor)", floors);
  }

  private static TransformChain compile(String json) {
    List<Object> steps = new ArrayList<>();
    new JsonArray(json).forEach(o -> steps.add(plain(o)));
    TransformChain.Compiled compiled = TransformChain.compile(steps, List.of());
    if (compiled.chain() == null) throw new IllegalStateException(compiled.problems().toString());
    return compiled.chain();
  }

  private static Object plain(Object o) {
    if (o instanceof JsonObject j) {
      Map<String, Object> out = new LinkedHashMap<>();
      j.forEach(e -> out.put(e.getKey(), plain(e.getValue())));
      return out;
    }
    if (o instanceof JsonArray a) {
      List<Object> out = new ArrayList<>();
      a.forEach(v -> out.add(plain(v)));
      return out;
    }
    return o;
  }

  /** Events/s over {@code seconds} on this thread, cycling through {@code events}. */
  private static double run(TransformChain chain, List<Event> events, int seconds) {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    long start = System.nanoTime();
    long count = 0;
    long bytes = 0;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 1000; i++) {
        bytes += chain.apply(events.get((int) (count++ % events.size()))).payloadBytes().length();
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    if (bytes == 0) throw new IllegalStateException("nothing transformed");
    return count / elapsed;
  }

  private static void report(String what, double[] rounds) {
    double[] sorted = rounds.clone();
    java.util.Arrays.sort(sorted);
    double median = sorted[sorted.length / 2];
    System.out.printf(Locale.ROOT, "%-42s median %,9.0f events/s (%.2f µs/event), best %,9.0f, %d rounds of 2 s%n",
        what, median, 1e6 / median, sorted[sorted.length - 1], rounds.length);
  }

  /** Service records as a backend posts them to /v1/topics/service-events, ~600 bytes each. */
  static List<Event> records(int count, SplittableRandom random) {
    List<Event> out = new ArrayList<>(count);
    String[] types = {"signup", "login", "Order Completed", "Product Viewed", "Checkout Started"};
    for (int i = 0; i < count; i++) {
      String user = "user-" + random.nextInt(100_000);
      JsonObject event = new JsonObject()
          .put("event_type", types[random.nextInt(types.length)])
          .put("user_id", user)
          .put("device_id", "d-" + Long.toHexString(random.nextLong()))
          .put("time", 1_764_410_000_000L + i)
          .put("insert_id", "ins-" + Long.toHexString(random.nextLong()))
          .put("platform", "Web").put("os_name", "Mac OS X").put("language", "en-GB")
          .put("ip", "203.0.113." + random.nextInt(255))
          .put("event_properties", new JsonObject()
              .put("order_id", "o-" + random.nextInt(1_000_000)).put("revenue", random.nextInt(50_000) / 100.0)
              .put("currency", "EUR").put("coupon", random.nextBoolean() ? "WINTER" : null)
              .put("items", new JsonArray().add(new JsonObject().put("sku", "sku-" + random.nextInt(999)).put("qty", 1))))
          .put("user_properties", new JsonObject().put("plan", "pro").put("company", "Example Ltd"));
      JsonObject record = new JsonObject().put("event", event).put("timestamp", "2026-11-29T10:00:00." + (i % 1000) + "Z")
          .put("source", "checkout-service").put("trace_id", Long.toHexString(random.nextLong()));
      out.add(new Event("m-" + i, null, "service-events", "backend", user, Instant.now(), record.toBuffer()));
    }
    return out;
  }
}
