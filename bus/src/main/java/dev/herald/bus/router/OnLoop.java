package dev.herald.bus.router;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/** Runs an action on a runner's own context, from whatever thread asks. */
final class OnLoop {

  private OnLoop() {}

  /** Completes once {@code action} ran on {@code context}; fails when there is no context (not deployed). */
  static Future<Void> run(Context context, String id, Runnable action) {
    if (context == null) return Future.failedFuture(new IllegalStateException("destination " + id + " is not deployed"));
    if (Vertx.currentContext() == context) {
      action.run();
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    context.runOnContext(v -> {
      action.run();
      done.complete();
    });
    return done.future();
  }
}
