package dev.herald.bus.router;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A chunk of replayed dead letters on its way through a runner: one slot per event, each settled
 * once (delivered, failed again, or left out by the transform); the future completes when every
 * slot is. Used on the runner's event loop only.
 */
final class ReplayTicket {

  private final ReplayOutcome[] outcomes;
  private final Promise<List<ReplayOutcome>> done = Promise.promise();
  private int open;

  ReplayTicket(int size) {
    outcomes = new ReplayOutcome[size];
    open = size;
    if (size == 0) done.complete(List.of());
  }

  Future<List<ReplayOutcome>> future() {
    return done.future();
  }

  Slot slot(int index) {
    return new Slot(index);
  }

  /** The runner stops: every unsettled slot fails (the event may or may not have reached the destination). */
  void abandon(String reason) {
    for (int i = 0; i < outcomes.length; i++) {
      if (outcomes[i] == null) settle(i, ReplayOutcome.failed(reason, 0, 0));
    }
  }

  private void settle(int index, ReplayOutcome outcome) {
    if (outcomes[index] != null) return;
    outcomes[index] = outcome;
    if (--open == 0) done.complete(new ArrayList<>(Arrays.asList(outcomes)));
  }

  /** One event's place in the ticket. */
  final class Slot {
    private final int index;

    private Slot(int index) {
      this.index = index;
    }

    void delivered(int attempts) {
      settle(index, new ReplayOutcome(ReplayOutcome.Kind.DELIVERED, null, 0, attempts));
    }

    void failed(String reason, int status, int attempts) {
      settle(index, ReplayOutcome.failed(reason, status, attempts));
    }

    void filtered() {
      settle(index, new ReplayOutcome(ReplayOutcome.Kind.FILTERED, "the transform left it out", 0, 0));
    }
  }
}
