package dev.herald.launcher.reload;

import java.util.function.Supplier;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** SIGHUP runs a config reload, as {@code POST /admin/reload} does, and logs its outcome. */
public final class HangUp {

  private static final Logger LOG = LoggerFactory.getLogger(HangUp.class);

  private HangUp() {}

  /** Installs the handler; false (logged) where the platform has no SIGHUP. */
  public static boolean install(Supplier<Future<ConfigReload.Answer>> reload) {
    try {
      Signal.handle(new Signal("HUP"), signal -> run(reload));
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      LOG.warn("SIGHUP cannot be handled here ({}): reload with POST /admin/reload", e.getMessage());
      return false;
    }
  }

  /** What the handler does: one reload, its outcome logged (the reload itself logs the details). */
  public static Future<ConfigReload.Answer> run(Supplier<Future<ConfigReload.Answer>> reload) {
    LOG.info("SIGHUP: reloading the config");
    return reload.get().onSuccess(answer -> {
      if (answer.status() == 200) {
        LOG.info("SIGHUP reload done: {}", answer.body().encode());
      } else {
        LOG.warn("SIGHUP reload answered {}: {}", answer.status(), answer.body().encode());
      }
    });
  }
}
