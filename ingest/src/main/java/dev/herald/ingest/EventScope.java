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

  /** The text of {@code receivedAt} comes from {@code times} when the millisecond is the last one's. */
  static EventScope of(String sourceId, IpPolicy ipPolicy, String clientAddress, Instant now, Envelope envelope,
      Instant sentAt, ReceivedTimes times) {
    // Millisecond precision, so the stored Event and its payload agree exactly.
    Instant receivedAt = now.truncatedTo(ChronoUnit.MILLIS);
    times.at(receivedAt);
    String storedAddress = ClientAddress.apply(ipPolicy, clientAddress);
    return new EventScope(sourceId, ipPolicy, clientAddress, receivedAt, times.text, times.json, envelope,
        sentAt, storedAddress == null ? null : JsonText.encode(storedAddress),
        Timestamps.correction(receivedAt, sentAt));
  }

  /**
   * The last {@code receivedAt} written and its text, kept by one handler: at thousands of requests
   * a second most share their millisecond with the one before. Its arrays are never written to.
   */
  static final class ReceivedTimes {
    private long millis = Long.MIN_VALUE;
    private String text;
    private byte[] json;

    private void at(Instant receivedAt) {
      long at = receivedAt.toEpochMilli();
      if (at != millis) {
        text = Timestamps.format(receivedAt);
        json = JsonText.encode(text);
        millis = at;
      }
    }
  }
}
