package dev.herald.bus.router;

import dev.herald.bus.deadletter.DeadLetterStore;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The router's replays: the latest {@value #KEPT} by id (for their progress; in memory, the marks on
 * the entries are what lasts), and per destination the entries being sent, so two replays at once
 * never send one entry twice.
 */
final class Replays {

  static final int KEPT = 100;

  private final Map<String, ReplayJob> byId = new LinkedHashMap<>();
  private final Map<String, Set<Long>> claimed = new LinkedHashMap<>();

  synchronized ReplayJob create(Vertx vertx, String destination, ReplayRequest request, DeadLetterStore store,
      DestinationRunner runner, BooleanSupplier runnerGone) {
    String id = "rp-" + UUID.randomUUID().toString().substring(0, 13);
    ReplayJob job = new ReplayJob(vertx, id, destination, request, store, runner,
        claimed.computeIfAbsent(destination, d -> new HashSet<>()), runnerGone);
    byId.put(id, job);
    Iterator<ReplayJob> oldest = byId.values().iterator();
    while (byId.size() > KEPT && oldest.hasNext()) {
      if (!"running".equals(oldest.next().progress().state())) oldest.remove();
    }
    return job;
  }

  synchronized Optional<ReplayProgress> progress(String replayId) {
    ReplayJob job = byId.get(replayId);
    return job == null ? Optional.empty() : Optional.of(job.progress());
  }
}
