package dev.herald.ingest;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * What one request shares among its events, with the values every event stores written once.
 *
 * @param clientAddress the connection's (or proxy-reported) client address, or null
 * @param clientIpJson that address as {@code context.ip} stores it under the policy, or null
 * @param envelope a batch's top-level fields, or null for a single event
 * @param sentAt the batch's {@code sentAt}, or null
 * @param correction the clock-skew rule for events without their own {@code sentAt}
 */
record EventScope(String sourceId, IpPolicy ipPolicy, String clientAddress, Instant receivedAt,
    String receivedAtText, byte[] receivedAtJson, Envelope envelope, Instant sentAt, byte[] clientIpJson,
    Timestamps.Correction correction) {

  static EventScope of(String sourceId, IpPolicy ipPolicy, String clientAddress, Instant now, Envelope envelope,
      Instant sentAt) {
    // Millisecond precision, so the stored Event and its payload agree exactly.
    Instant receivedAt = now.truncatedTo(ChronoUnit.MILLIS);
    String text = Timestamps.format(receivedAt);
    String storedAddress = ClientAddress.apply(ipPolicy, clientAddress);
    return new EventScope(sourceId, ipPolicy, clientAddress, receivedAt, text, JsonText.encode(text), envelope,
        sentAt, storedAddress == null ? null : JsonText.encode(storedAddress),
        Timestamps.correction(receivedAt, sentAt));
  }
}
