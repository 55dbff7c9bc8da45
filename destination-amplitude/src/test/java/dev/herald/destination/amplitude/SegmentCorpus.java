package dev.herald.destination.amplitude;

import dev.herald.destination.api.Event;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded Segment events as Herald stores them: {@link #realistic} is what browser and mobile SDKs
 * send (track-heavy, ~0.6–1 KB each, all of them acceptable to Amplitude), {@link #varied} adds every odd shape the mapping has a rule
 * for (missing and mistyped fields, escapes, other time zones, raw records, unknown types).
 */
final class SegmentCorpus {

  private static final Instant RECEIVED = Instant.parse("2026-11-23T10:00:00.500Z");
  private static final String[] TRACKS = {"Order Completed", "Product Viewed", "Product Added", "Signed In",
      "Checkout Started", "Video Played", "Search Performed"};
  private static final String[] PAGES = {"Home", "Pricing", "Docs", "Blog Post", "Checkout"};
  private static final String[] ODD = {"é ✓ 😀", "say \"hi\"\n", "back\\slash", "tab\there", "\u0001ctl", "  two  spaces  ",
      "", " ", "<script>", "日本語"};

  private final Random random;
  private final boolean odd;
  private int seq;

  private SegmentCorpus(long seed, boolean odd) {
    this.random = new Random(seed);
    this.odd = odd;
  }

  /** {@code count} events as SDKs send them: 72% track, 12% page, 4% screen, 8% identify, 3% group, 1% alias. */
  static List<Event> realistic(long seed, int count) {
    SegmentCorpus corpus = new SegmentCorpus(seed, false);
    List<Event> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) events.add(corpus.next());
    return events;
  }

  /** The same mix with odd values and shapes throughout, raw-topic records among them. */
  static List<Event> varied(long seed, int count) {
    SegmentCorpus corpus = new SegmentCorpus(seed, true);
    List<Event> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) events.add(corpus.random.nextInt(12) == 0 ? corpus.rawRecord() : corpus.next());
    return events;
  }

  private Event next() {
    int roll = random.nextInt(100);
    String type = roll < 72 ? "track" : roll < 84 ? "page" : roll < 88 ? "screen" : roll < 96 ? "identify"
        : roll < 99 ? "group" : "alias";
    if (odd && random.nextInt(20) == 0) type = pick(new String[] {"Track", "IDENTIFY", "Page", "unknown", "Alias"});
    JsonObject payload = payload(type);
    String key = payload.getValue("userId") instanceof String u ? u
        : payload.getValue("anonymousId") instanceof String a ? a : payload.getString("messageId");
    return new Event(payload.getString("messageId"), type, "analytics", "web", key, RECEIVED, payload.toBuffer());
  }

  private JsonObject payload(String type) {
    boolean mobile = random.nextInt(3) == 0;
    String messageId = "msg-" + Long.toHexString(random.nextLong()) + "-" + seq++;
    JsonObject p = new JsonObject().put("type", type).put("messageId", messageId);
    // SDKs always send an anonymousId; an alias, a group or an identify comes with a userId.
    boolean known = !type.equals("track") && !type.equals("page") && !type.equals("screen");
    if (known && !odd || chance(85)) p.put("userId", oddOr("user-" + random.nextInt(50_000)));
    if (!odd || chance(90)) p.put("anonymousId", oddOr(uuid()));
    String time = timestamp();
    if (time != null) p.put("timestamp", time);
    p.put("originalTimestamp", "2026-11-23T09:59:59.100Z").put("sentAt", "2026-11-23T09:59:59.900Z");
    if (chance(95)) p.put("receivedAt", odd && chance(10) ? "yesterday" : "2026-11-23T10:00:00.500Z");
    p.put("context", mobile ? mobileContext() : webContext());
    p.put("integrations", integrations());
    switch (type.toLowerCase()) {
      case "track" -> {
        if (!odd || chance(95)) p.put("event", oddOr(pick(TRACKS)));
        p.put("properties", trackProperties());
      }
      case "page", "screen" -> {
        if (chance(70)) p.put("name", oddOr(pick(PAGES)));
        if (chance(90)) p.put("properties", pageProperties());
      }
      case "identify" -> {
        if (chance(80)) p.put("traits", traits());
        else if (chance(50)) p.getJsonObject("context").put("traits", traits());
      }
      case "group" -> {
        if (!odd || chance(90)) p.put("groupId", oddOr("org-" + random.nextInt(500)));
        if (chance(80)) p.put("traits", traits().put("kind", pick(new String[] {"company", "team"})));
      }
      case "alias" -> {
        if (!odd || chance(80)) p.put("previousId", uuid());
      }
      default -> p.put("properties", trackProperties());
    }
    return p;
  }

  private String timestamp() {
    if (!odd) return "2026-11-23T09:59:59." + String.format("%03d", random.nextInt(1000)) + "Z";
    return switch (random.nextInt(8)) {
      case 0 -> null;
      case 1 -> "2026-11-23T11:59:59.250+02:00";
      case 2 -> "2026-11-23T09:59:59Z";
      case 3 -> "2026-11-23T09:59:59.123456Z";
      case 4 -> "not a date";
      case 5 -> "2026-02-30T10:00:00.000Z";
      default -> "2026-11-23T09:59:59." + random.nextInt(1000) + "Z";
    };
  }

  private JsonObject webContext() {
    JsonObject c = new JsonObject()
        .put("ip", "203.0." + random.nextInt(256) + "." + random.nextInt(256))
        .put("library", new JsonObject().put("name", "analytics.js").put("version", "5.2." + random.nextInt(10)))
        .put("locale", pick(new String[] {"en-US", "fr-FR", "de-DE"}))
        .put("userAgent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/120.0.0.0 Safari/537.36")
        .put("page", new JsonObject().put("path", "/pricing").put("referrer", "https://www.example.org/")
            .put("search", "").put("title", "Pricing · Example").put("url", "https://example.com/pricing"))
        .put("timezone", "Europe/Paris");
    if (chance(20)) c.put("campaign", new JsonObject().put("name", "winter").put("source", "newsletter"));
    if (odd) oddContext(c);
    return c;
  }

  private JsonObject mobileContext() {
    boolean ios = chance(50);
    JsonObject c = new JsonObject()
        .put("ip", "198.51.100." + random.nextInt(256))
        .put("app", new JsonObject().put("name", "Example").put("version", "4." + random.nextInt(9) + ".0")
            .put("build", "4" + random.nextInt(999)).put("namespace", "com.example.app"))
        .put("device", new JsonObject().put("id", uuid()).put("manufacturer", ios ? "Apple" : "Google")
            .put("model", ios ? "iPhone15,2" : "Pixel 8").put("type", ios ? "ios" : "android")
            .put("advertisingId", uuid()).put("adTrackingEnabled", true))
        .put("os", new JsonObject().put("name", ios ? "iOS" : "Android").put("version", ios ? "17.4" : "14"))
        .put("network", new JsonObject().put("carrier", "Orange").put("wifi", true).put("cellular", false))
        .put("screen", new JsonObject().put("width", 1179).put("height", 2556).put("density", 3))
        .put("library", new JsonObject().put("name", ios ? "analytics-ios" : "analytics-android").put("version", "4.1.8"))
        .put("locale", "fr-FR").put("timezone", "Europe/Paris");
    if (chance(30)) {
      c.put("location", new JsonObject().put("country", "France").put("region", "IDF").put("city", "Paris")
          .put("latitude", 48.85 + random.nextInt(100) / 1000.0).put("longitude", 2.35));
    }
    if (odd) oddContext(c);
    return c;
  }

  /** Fields of the wrong type, missing or oddly cased, where the mapping has a rule for it. */
  private void oddContext(JsonObject c) {
    if (chance(10)) c.put("ip", 42);
    if (chance(10)) c.put("app", "not an object");
    if (chance(10)) c.remove("userAgent");
    if (chance(10)) c.put("library", new JsonObject().put("name", "lib " + pick(ODD)));
    if (chance(10)) c.put("device", new JsonObject().put("advertisingId", "ad-1").put("model", pick(ODD)));
    if (chance(10)) c.put("os", new JsonObject().put("name", pick(new String[] {"iPadOS", "android tv", "Linux"})));
    if (chance(10)) c.put("location", new JsonObject().put("latitude", "48.8").put("longitude", -1.5e-3).put("city", pick(ODD)));
    if (chance(10)) c.put("locale", pick(ODD));
    if (chance(5)) c.put("traits", new JsonObject().put("email", "a@example.com"));
  }

  private JsonObject integrations() {
    JsonObject i = new JsonObject();
    if (chance(30)) {
      JsonObject amplitude = new JsonObject().put("session_id", 1_700_000_000_000L + random.nextInt(1_000_000));
      if (chance(30)) amplitude.put("groups", new JsonObject().put("org", "o-" + random.nextInt(9)));
      i.put(odd ? pick(new String[] {"Amplitude", "AMPLITUDE", "amplitude"}) : "Amplitude", amplitude);
    }
    if (odd && chance(10)) i.put("Amplitude", chance(50) ? Boolean.FALSE : new JsonObject().put("session_id", "s-1"));
    if (chance(20)) i.put("All", true).put("Mixpanel", false);
    return i;
  }

  private JsonObject trackProperties() {
    JsonObject p = new JsonObject().put("plan", pick(new String[] {"free", "pro", "team"}))
        .put("seq", seq).put("currency", "EUR").put("category", "Games")
        .put("tags", new JsonArray().add("new").add("sale"));
    if (chance(40)) {
      p.put("revenue", random.nextInt(10_000) / 100.0).put("price", 19.99).put("quantity", 1 + random.nextInt(5))
          .put(chance(50) ? "productId" : "product_id", "sku-" + random.nextInt(1000))
          .put(chance(50) ? "revenueType" : "revenue_type", "purchase");
    }
    if (chance(30)) {
      p.put("products", new JsonArray().add(new JsonObject().put("sku", "a-1").put("price", 9.5))
          .add(new JsonObject().put("sku", "b-2").put("price", 10.49)));
    }
    if (odd) {
      if (chance(10)) p.put("revenue", "12.00");
      if (chance(10)) p.put("quantity", 2.7);
      if (chance(10)) p.put("note", pick(ODD));
      if (chance(5)) p.put("big", 12345678901234567890.0).put("exp", 1e-7);
    }
    return p;
  }

  private JsonObject pageProperties() {
    JsonObject p = new JsonObject().put("path", "/pricing").put("url", "https://example.com/pricing")
        .put("title", "Pricing").put("referrer", "");
    if (chance(30)) p.put("name", oddOr(pick(PAGES)));
    return p;
  }

  private JsonObject traits() {
    JsonObject t = new JsonObject().put("email", "user" + random.nextInt(50_000) + "@example.com")
        .put("name", "Ada Lovelace").put("plan", "pro").put("logins", random.nextInt(100))
        .put("address", new JsonObject().put("city", "Paris").put("country", "FR"));
    if (odd && chance(20)) return new JsonObject();
    return t;
  }

  /** A raw-topic record: an Amplitude event, a request-shaped body, a Segment-shaped one, or neither. */
  private Event rawRecord() {
    String messageId = "raw-" + seq++;
    JsonObject payload = switch (random.nextInt(6)) {
      case 0 -> new JsonObject().put("event_type", "signup").put("user_id", "user-" + random.nextInt(99))
          .put("api_key", "other").put("event_properties", new JsonObject().put("k", pick(ODD)));
      case 1 -> new JsonObject().put("event_type", "x").put("device_id", "dev-12345").put("insert_id", "mine");
      case 2 -> new JsonObject().put("api_key", "other").put("events", new JsonArray()
          .add(new JsonObject().put("event_type", "a").put("user_id", "user-1"))
          .add(new JsonObject().put("event_type", "b").put("user_id", "user-1")));
      case 3 -> payload(pick(new String[] {"track", "identify", "page"}));
      case 4 -> new JsonObject().put("events", chance(50) ? new JsonArray() : new JsonArray().add(1));
      default -> new JsonObject().put("hello", "world");
    };
    return new Event(messageId, null, "service-events", "svc", messageId, RECEIVED, payload.toBuffer());
  }

  private String uuid() {
    return new java.util.UUID(random.nextLong(), random.nextLong()).toString();
  }

  private boolean chance(int percent) {
    return random.nextInt(100) < percent;
  }

  private String oddOr(String value) {
    return odd && chance(8) ? pick(ODD) : value;
  }

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }
}
