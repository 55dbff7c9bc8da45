package dev.herald.bench;

import io.vertx.core.buffer.Buffer;

/** Segment-style batch bodies: ~600-byte track events with unique messageIds. */
final class BatchBodies {
  private static final String PROPERTIES = "{\"plan\":\"pro\",\"amount\":42.5,\"currency\":\"EUR\","
      + "\"items\":[{\"sku\":\"A-100\",\"qty\":1},{\"sku\":\"B-200\",\"qty\":2}],"
      + "\"referrer\":\"https://example.com/landing/spring-campaign?utm_source=newsletter\"}";
  private static final String CONTEXT = "{\"library\":{\"name\":\"analytics-java\",\"version\":\"3.5.4\"},"
      + "\"userAgent\":\"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)\","
      + "\"locale\":\"en-GB\",\"timezone\":\"Europe/Berlin\"}";

  private BatchBodies() {}

  static Buffer batch(long firstSequence, int events) {
    return batch(firstSequence, events, -1);
  }

  /** As {@link #batch(long, int)}, each event's properties starting with {@code "benchSentUs":sentUs} (unless negative). */
  static Buffer batch(long firstSequence, int events, long sentUs) {
    StringBuilder sb = new StringBuilder(events * 660 + 64);
    sb.append("{\"batch\":[");
    for (int i = 0; i < events; i++) {
      if (i > 0) sb.append(',');
      appendEvent(sb, firstSequence + i, sentUs);
    }
    sb.append("],\"sentAt\":\"").append(java.time.Instant.now()).append("\"}");
    return Buffer.buffer(sb.toString());
  }

  static Buffer single(long sequence) {
    StringBuilder sb = new StringBuilder(640);
    appendEvent(sb, sequence, -1);
    return Buffer.buffer(sb.toString());
  }

  private static void appendEvent(StringBuilder sb, long seq, long sentUs) {
    sb.append("{\"type\":\"track\",\"event\":\"Order Completed\",\"userId\":\"user-")
        .append(seq % 10_000)
        .append("\",\"messageId\":\"bench-").append(seq)
        .append("\",\"timestamp\":\"2026-11-23T10:00:00.000Z\",\"properties\":");
    if (sentUs >= 0) sb.append("{\"benchSentUs\":").append(sentUs).append(',').append(PROPERTIES, 1, PROPERTIES.length());
    else sb.append(PROPERTIES);
    sb.append(",\"context\":").append(CONTEXT).append('}');
  }
}
