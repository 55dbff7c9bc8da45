package dev.herald.ingest;

/**
 * Bounds what a request stores, as stored. A batch's {@code context} and {@code integrations}
 * are merged into every item, so an event can be far larger stored than sent; each event is
 * written with its size bounded by {@code maxEventBytes} ({@link RecordBytes}), and the
 * request's events are charged against {@link IngestOptions#maxStoredRequestBytes()} one by one,
 * so an amplifying request is refused long before its events are all built.
 */
final class StoredBound {

  private final long maxStoredRequestBytes;
  private final int maxEventBytes;
  private long charged;

  StoredBound(long maxStoredRequestBytes, int maxEventBytes) {
    this.maxStoredRequestBytes = maxStoredRequestBytes;
    this.maxEventBytes = maxEventBytes;
  }

  /**
   * Counts one outcome against the request's bound: an accepted event by its stored size, an
   * event refused as too large by {@code maxEventBytes} (the writing work it cost).
   *
   * @throws IngestException {@code 413 payload_too_large} once the request is over the bound
   */
  void charge(ItemOutcome outcome) {
    if (outcome instanceof ItemOutcome.Accepted accepted) {
      charged += accepted.event().payloadBytes().length();
    } else if (((ItemOutcome.Rejected) outcome).code() == ErrorCode.EVENT_TOO_LARGE) {
      charged += maxEventBytes;
    }
    if (charged > maxStoredRequestBytes) {
      throw new IngestException(ErrorCode.PAYLOAD_TOO_LARGE, "the request's events would take more than "
          + "maxStoredRequestBytes (" + maxStoredRequestBytes + " bytes: 2 × maxRequestBytes + 1 KB × maxBatchEvents) "
          + "once stored, with the batch's context and integrations merged into every event; nothing was stored");
    }
  }

  /** The message of an event refused because its stored form is over maxEventBytes. */
  static String tooLargeStored(String what, int maxEventBytes) {
    return what + " is over maxEventBytes (" + maxEventBytes + " bytes) once stored (with the batch's "
        + "context and integrations merged in and Herald's fields added)";
  }
}
