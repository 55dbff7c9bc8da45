package dev.herald.bus.router;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.Callable;

/** Runs test steps on one Vert.x context, as a runner runs its parts: on its event loop only. */
final class OnContext {

  private final Context context;

  OnContext(Context context) {
    this.context = context;
  }

  /** The value {@code step} returns, computed on the context (waits with TestSupport's deadline). */
  <T> T call(Callable<T> step) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> {
      try {
        result.complete(step.call());
      } catch (Throwable e) {
        result.fail(e);
      }
    });
    return TestSupport.await(result.future());
  }

  /** Starts {@code step} on the context and waits for the future it returns. */
  <T> T await(Callable<Future<T>> step) {
    return TestSupport.await(call(step));
  }

  void run(Runnable step) {
    call(() -> {
      step.run();
      return null;
    });
  }
}
