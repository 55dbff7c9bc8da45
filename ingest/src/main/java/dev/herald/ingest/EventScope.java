package dev.herald.ingest;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What one request shares among its events.
 *
 * @param clientAddress the connection's (or proxy-reported) client address, or null
 * @param envelope a batch's top-level fields, or null for a single event
 * @param sentAt the batch's {@code sentAt}, or null
 */
record EventScope(String sourceId, IpPolicy ipPolicy, String clientAddress, Instant receivedAt,
    String receivedAtText, byte[] receivedAtJson, Envelope envelope, Instant sentAt) {

  static EventScope of(String sourceId, IpPolicy ipPolicy, String clientAddress, Instant now, Envelope envelope,
      Instant sentAt) {
    // Millisecond precision, so the stored Event and its payload agree exactly.
    Instant receivedAt = now.truncatedTo(ChronoUnit.MILLIS);
    String text = Timestamps.format(receivedAt);
    return new EventScope(sourceId, ipPolicy, clientAddress, receivedAt, text, JsonText.encode(text), envelope,
        sentAt);
  }
}
