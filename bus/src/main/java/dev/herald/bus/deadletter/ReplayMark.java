package dev.herald.bus.deadletter;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * What the latest replay of a dead letter did: kept with the entry, so a replay run twice does not
 * send an entry it delivered before.
 *
 * @param id the dead letter's id
 * @param replayId the replay that sent it
 * @param outcome {@link #DELIVERED}, {@link #FAILED} or {@link #FILTERED} (the transform left it out)
 * @param reason why it failed (null when delivered)
 * @param status the destination's HTTP status of the failure (0 when none)
 * @param at when the outcome was known
 */
public record ReplayMark(long id, String replayId, String outcome, String reason, int status, Instant at) {

  public static final String DELIVERED = "delivered";
  public static final String FAILED = "failed";
  public static final String FILTERED = "filtered";

  public ReplayMark {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(at, "at");
  }

  /** Delivered, or left out by the transform: either way nothing is left to send. */
  public boolean settled() {
    return !FAILED.equals(outcome);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("replayId", replayId).put("outcome", outcome).put("reason", reason)
        .put("status", status).put("at", at.toString());
  }

  public static ReplayMark fromJson(JsonObject json) {
    return new ReplayMark(json.getLong("id", 0L), json.getString("replayId"), json.getString("outcome"),
        json.getString("reason"), json.getInteger("status", 0), Instant.parse(json.getString("at")));
  }
}
