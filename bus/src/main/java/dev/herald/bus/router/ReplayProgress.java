package dev.herald.bus.router;

import java.time.Instant;

/**
 * Where a dead-letter replay is.
 *
 * @param replayId its id
 * @param destination the destination it sends to
 * @param state {@code running}, {@code done}, or {@code failed} (see {@code error})
 * @param dryRun it only counted
 * @param selected dead letters matching the filter
 * @param skipped of those, not sent: a replay delivered them before (without {@code force}), or another replay is sending them
 * @param toReplay of those, to send
 * @param replayed sent and answered so far
 * @param delivered of those, delivered
 * @param failed of those, failed again (each stays a dead letter, with this outcome)
 * @param filtered of those, left out by the transform
 * @param error why it stopped early, or null
 */
public record ReplayProgress(String replayId, String destination, String state, boolean dryRun, boolean force,
    int ratePerSecond, long selected, long skipped, long toReplay, long replayed, long delivered, long failed,
    long filtered, String error, Instant startedAt, Instant finishedAt) {}
