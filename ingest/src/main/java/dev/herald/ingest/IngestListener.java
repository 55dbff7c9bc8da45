package dev.herald.ingest;

/**
 * Told what ingest did, for metrics: each request's route, status and duration, each append's
 * duration, and how many events of a source were accepted, deduplicated or rejected (by code).
 * Called on event loops: must be quick, must not block, must be thread-safe (ingest runs one
 * instance per core).
 */
public interface IngestListener {

  /** Tells nothing. */
  IngestListener NONE = new IngestListener() {};

  /** Outcomes of {@link #events}. */
  String ACCEPTED = "accepted";
  String DUPLICATE = "duplicate";
  String REJECTED = "rejected";

  /**
   * @param sourceId the source whose write key sent them
   * @param outcome {@link #ACCEPTED} (durably appended), {@link #DUPLICATE} (acknowledged, not
   *     appended again) or {@link #REJECTED}
   * @param code for rejected events, the error code (e.g. {@code invalid_event}); else null
   */
  default void events(String sourceId, String outcome, String code, int count) {}

  /**
   * A request was answered.
   *
   * @param route the route's path template, e.g. {@code /v1/batch} or {@code /v1/topics/{topic}};
   *     {@code other} for paths that match no route
   */
  default void request(String route, int status, long nanos) {}

  /** An append to the log completed ({@code durable}) or failed, after {@code nanos}. */
  default void appended(int events, long nanos, boolean durable) {}
}
