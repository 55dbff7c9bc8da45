package dev.herald.bus.log.embedded;

import dev.herald.destination.api.Event;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import java.util.List;

/**
 * One append call waiting for the writer: its events, the bytes they may take (counted against
 * the queue's bound until the writer is done with them) and the context to complete it on.
 */
record PendingAppend(List<Event> events, Promise<Void> promise, Context context, long bytes) {

  /**
   * Completes every append of a written group, one task per run of appends from the same context,
   * so a busy event loop gets one task per group rather than one per append.
   */
  static void completeAll(List<PendingAppend> group, Throwable error) {
    int runStart = 0;
    for (int i = 1; i <= group.size(); i++) {
      if (i == group.size() || group.get(i).context != group.get(runStart).context) {
        completeRun(group.subList(runStart, i), error);
        runStart = i;
      }
    }
  }

  /** Fails appends the writer will never reach; tolerant of ones already settled. */
  static void failAll(List<PendingAppend> appends, Throwable error) {
    for (PendingAppend append : appends) {
      append.context.runOnContext(v -> append.promise.tryFail(error));
    }
  }

  private static void completeRun(List<PendingAppend> run, Throwable error) {
    Context context = run.get(0).context;
    if (run.size() == 1) {
      Promise<Void> promise = run.get(0).promise;
      context.runOnContext(v -> settle(promise, error));
      return;
    }
    // copied out: the group list is reused by the writer before the task runs
    Object[] promises = new Object[run.size()];
    for (int i = 0; i < promises.length; i++) {
      promises[i] = run.get(i).promise;
    }
    context.runOnContext(v -> {
      for (Object promise : promises) {
        @SuppressWarnings("unchecked")
        Promise<Void> p = (Promise<Void>) promise;
        settle(p, error);
      }
    });
  }

  private static void settle(Promise<Void> promise, Throwable error) {
    if (error == null) {
      promise.complete();
    } else {
      promise.fail(error);
    }
  }
}
