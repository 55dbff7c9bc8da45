package dev.herald.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.herald.ingest.IngestPipelines.Result;
import dev.herald.ingest.IngestPipelines.Route;
import dev.herald.ingest.IngestPipelines.Scope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming normalizer against the tree-based one on what it reads by field number and
 * parses once: times with every offset form and fractional seconds of every length, near the
 * edges of the skew window (to the nanosecond) and at the ends of time, with and without the
 * batch's or the event's own sentAt, missing, null, mistyped or invalid; and repeated names of
 * every member Herald parses or sets, in any order.
 */
class NormalizerTimesDifferentialTest {

  private static final long SEED = 1713;
  private static final IngestOptions OPTIONS = IngestOptions.defaults(List.of(new SourceOptions("web", "wk")));
  private static final String[] FIELDS = {"type", "messageId", "userId", "anonymousId", "event", "groupId",
      "previousId", "timestamp", "originalTimestamp", "sentAt", "writeKey", "context", "integrations", "properties",
      "traits", "receivedAt"};
  private static final String[] TYPES = {"track", "identify", "page", "screen", "group", "alias"};
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private final Random random = new Random(SEED);

  @Test
  void timesOfEveryFormAndSkewAreStoredAndRefusedAlike() {
    IngestPipelines pipelines = new IngestPipelines(OPTIONS);
    int accepted = 0;
    int corrected = 0;
    for (int i = 0; i < 4000; i++) {
      Instant now = Instant.parse("2026-11-23T10:00:03Z").plusNanos(random.nextInt(1_000_000_000));
      Scope scope = new Scope(IpPolicy.KEEP, "192.0.2.7", now);
      Instant sentAt = random.nextInt(4) == 0 ? null : near(now.minus(Duration.ofHours(random.nextInt(3) - 1)));
      boolean single = random.nextInt(5) == 0;
      String body = single ? event(now, sentAt) : batch(now, sentAt);
      Route route = single ? Route.SINGLE : Route.BATCH;
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      Result reference = pipelines.reference(route, bytes, scope);
      Result streaming = pipelines.streaming(route, bytes, scope);
      assertEquals(reference, streaming, "body " + i + " at " + now + ": " + body);
      for (io.vertx.core.json.JsonObject stored : reference.payloads()) {
        accepted++;
        if (!stored.getString("timestamp").equals(stored.getString("receivedAt"))) {
          corrected++;
        }
      }
    }
    assertTrue(accepted > 3000 && corrected > 1000, accepted + " accepted, " + corrected + " with a client time");
  }

  private String batch(Instant now, Instant sentAt) {
    StringBuilder out = new StringBuilder("{\"batch\":[");
    for (int i = 0, n = 1 + random.nextInt(6); i < n; i++) {
      out.append(i == 0 ? "" : ",").append(event(now, sentAt));
    }
    out.append(']');
    if (sentAt != null) {
      out.append(",\"sentAt\":").append(quote(text(sentAt)));
    }
    if (random.nextInt(3) == 0) {
      out.append(",\"context\":{\"library\":{\"name\":\"x\"}")
          .append(random.nextBoolean() ? ",\"ip\":\"203.0.113.9\"" : "").append('}');
    }
    return out.append('}').toString();
  }

  /** An event of valid members in shuffled order, its times drawn around the clock, some names repeated. */
  private String event(Instant now, Instant sentAt) {
    List<String> members = new ArrayList<>();
    String type = TYPES[random.nextInt(TYPES.length)];
    members.add(member("type", quote(type)));
    members.add(member("userId", quote("u-" + random.nextInt(9))));
    members.add(member("event", quote("Order Completed")));
    members.add(member("groupId", quote("g")));
    members.add(member("previousId", quote("p")));
    if (random.nextBoolean()) {
      members.add(member("messageId", quote("m-" + random.nextInt(1_000_000))));
    }
    Instant reference = sentAt != null && random.nextInt(3) > 0 ? sentAt : now;
    for (String field : new String[] {"timestamp", "originalTimestamp", "sentAt"}) {
      int draw = random.nextInt(field.equals("timestamp") ? 3 : 5);
      if (draw == 0) {
        members.add(member(field, time(reference)));
      } else if (draw == 1 && !field.equals("timestamp")) {
        members.add(member(field, time(reference)));
      }
    }
    if (random.nextInt(4) == 0) {
      members.add(member("context", random.nextInt(5) == 0 ? "7" : "{\"ip\":\"198.51.100.4\",\"locale\":\"en\"}"));
    }
    if (random.nextInt(4) == 0) {
      members.add(member("integrations", "{\"All\":false}"));
    }
    members.add(member(random.nextBoolean() ? "properties" : "traits", "{\"plan\":\"pro\",\"n\":1}"));
    if (random.nextInt(4) == 0) {
      members.add(member("receivedAt", quote("2000-01-01T00:00:00Z")));
    }
    if (random.nextInt(5) == 0) {
      members.add(member("writeKey", quote("wk")));
    }
    // Repeated names: the first position, the last value, whether either is valid.
    for (int r = random.nextInt(4); r > 0; r--) {
      String name = FIELDS[random.nextInt(FIELDS.length)];
      String value = switch (name) {
        case "timestamp", "originalTimestamp", "sentAt" -> time(reference);
        case "type" -> quote(random.nextInt(6) == 0 ? "launch" : type);
        case "context", "integrations", "properties", "traits" -> random.nextInt(4) == 0 ? "[]" : "{\"k\":1}";
        case "messageId" -> random.nextInt(6) == 0 ? "12" : quote("m-r" + random.nextInt(100));
        default -> random.nextInt(8) == 0 ? "null" : quote("r-" + random.nextInt(9));
      };
      members.add(random.nextInt(members.size() + 1), member(name, value));
    }
    Collections.shuffle(members, random);
    return "{" + String.join(",", members) + "}";
  }

  /** A time member's value: mostly a valid date-time near the reference, else missing forms. */
  private String time(Instant reference) {
    return switch (random.nextInt(40)) {
      case 0 -> "null";
      case 1 -> "1700000000000";
      case 2 -> quote("yesterday");
      case 3 -> quote("2026-11-23T10:00:00");
      case 4 -> quote("2026-02-29T10:00:00Z");
      case 5 -> quote("2026-11-23T10:00:00.1234567891Z");
      case 6 -> quote("0000-01-01T00:00:00Z");
      case 7 -> quote("9999-12-31T23:59:59.999999999Z");
      case 8 -> quote("+999999999-12-31T23:59:59.999999999Z");
      case 9 -> quote("-999999999-01-01T00:00:00Z");
      // The same time with an escape: read, and written again.
      case 10 -> quote(text(near(reference)).replace("-", "\\u002d"));
      default -> quote(text(near(reference)));
    };
  }

  /** An instant around the skew window's edges relative to {@code reference}, or anywhere near it. */
  private Instant near(Instant reference) {
    Duration edge = switch (random.nextInt(5)) {
      case 0 -> Duration.ofHours(-24);
      case 1 -> Duration.ofMinutes(30);
      case 2 -> Duration.ZERO;
      default -> Duration.ofSeconds(random.nextInt(200_000) - 100_000);
    };
    long nanos = random.nextInt(3) == 0 ? random.nextInt(3) - 1 : random.nextInt(2_000_000_000) - 1_000_000_000;
    return reference.plus(edge).plusNanos(nanos);
  }

  /** The instant in one of the forms clients send: any offset, fractional seconds of any length. */
  private String text(Instant instant) {
    int offsetMinutes = switch (random.nextInt(4)) {
      case 0, 1 -> 0;
      case 2 -> (random.nextInt(37) - 18) * 60;
      default -> random.nextInt(36 * 60 + 1) - 18 * 60;
    };
    int fraction = random.nextInt(11) - 1;
    // A fraction shorter than the instant's nanoseconds drops the rest: the time read is what the text says.
    String local = SECONDS.format(instant.plusSeconds(offsetMinutes * 60L));
    String digits = String.format("%09d", instant.getNano());
    String fractionText = fraction < 0 ? "" : fraction == 0 ? ".0" : "." + digits.substring(0, Math.min(9, fraction));
    String offset;
    if (offsetMinutes == 0 && random.nextBoolean()) {
      offset = random.nextInt(5) == 0 ? "z" : "Z";
    } else {
      int abs = Math.abs(offsetMinutes);
      String sign = offsetMinutes < 0 ? "-" : "+";
      String hh = String.format("%02d", abs / 60);
      String mm = String.format("%02d", abs % 60);
      offset = switch (random.nextInt(4)) {
        case 0 -> sign + hh + mm;
        case 1 -> abs % 60 == 0 ? sign + hh : sign + hh + ":" + mm;
        default -> sign + hh + ":" + mm;
      };
    }
    String separator = random.nextInt(10) == 0 ? "t" : "T";
    return local.replace("T", separator) + fractionText + offset;
  }

  private static String member(String name, String value) {
    return quote(name) + ":" + value;
  }

  private static String quote(String text) {
    return "\"" + text + "\"";
  }
}
