package dev.herald.launcher.admin;

import dev.herald.bus.deadletter.DeadLetter;
import dev.herald.bus.deadletter.DeadLetterQuery;
import dev.herald.bus.router.ReplayProgress;
import dev.herald.bus.router.ReplayRequest;
import dev.herald.bus.router.Router;
import dev.herald.bus.router.RunnerStatus;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What an operator can do to a destination through the admin API: pause and resume it, and list,
 * replay and delete its dead letters. Every answer is empty when there is no such destination.
 */
public interface DestinationOperations {

  /** Pauses (idempotent); answers the destination's status once the pause is in effect and recorded. */
  Future<Optional<RunnerStatus>> pause(String destinationId);

  /** Resumes (idempotent). */
  Future<Optional<RunnerStatus>> resume(String destinationId);

  Future<Optional<List<DeadLetter>>> deadLetters(String destinationId, DeadLetterQuery query);

  /** Starts a replay; answers once its entries are selected (a dry run is then done). */
  Future<Optional<ReplayProgress>> replay(String destinationId, ReplayRequest request);

  Optional<ReplayProgress> replayProgress(String replayId);

  /** Deletes the dead letters matching {@code filter}; answers how many. */
  Future<Optional<Long>> deleteDeadLetters(String destinationId, DeadLetterQuery filter);

  /** Nothing to act on (e.g. before the router started). */
  DestinationOperations NONE = of(() -> null);

  /** The operations of the router {@code router} supplies (null while there is none). */
  static DestinationOperations of(Supplier<Router> router) {
    return new DestinationOperations() {
      @Override
      public Future<Optional<RunnerStatus>> pause(String id) {
        Router r = router.get();
        return r == null ? Future.succeededFuture(Optional.empty()) : r.pause(id);
      }

      @Override
      public Future<Optional<RunnerStatus>> resume(String id) {
        Router r = router.get();
        return r == null ? Future.succeededFuture(Optional.empty()) : r.resume(id);
      }

      @Override
      public Future<Optional<List<DeadLetter>>> deadLetters(String id, DeadLetterQuery query) {
        Router r = router.get();
        return r == null ? Future.succeededFuture(Optional.empty())
            : r.deadLetters(id).map(store -> store.list(query).map(Optional::of))
                .orElseGet(() -> Future.succeededFuture(Optional.empty()));
      }

      @Override
      public Future<Optional<ReplayProgress>> replay(String id, ReplayRequest request) {
        Router r = router.get();
        return r == null ? Future.succeededFuture(Optional.empty()) : r.replay(id, request);
      }

      @Override
      public Optional<ReplayProgress> replayProgress(String replayId) {
        Router r = router.get();
        return r == null ? Optional.empty() : r.replayProgress(replayId);
      }

      @Override
      public Future<Optional<Long>> deleteDeadLetters(String id, DeadLetterQuery filter) {
        Router r = router.get();
        return r == null ? Future.succeededFuture(Optional.empty())
            : r.deadLetters(id).map(store -> store.delete(filter).map(Optional::of))
                .orElseGet(() -> Future.succeededFuture(Optional.empty()));
      }
    };
  }
}
