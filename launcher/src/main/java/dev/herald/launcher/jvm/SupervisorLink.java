package dev.herald.launcher.jvm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The child's end of the link to its {@link Supervisor}: a {@code reload} line on stdin is a
 * SIGHUP the supervisor received; the end of stdin means the supervisor is gone (even killed with
 * SIGKILL), and Herald drains and stops rather than run on unsupervised.
 */
public final class SupervisorLink {

  private static final Logger LOG = LoggerFactory.getLogger(SupervisorLink.class);

  private SupervisorLink() {}

  /** True when this JVM was started by a {@link Supervisor}. */
  public static boolean supervised() {
    return System.getProperty(MemoryOptions.SUPERVISOR_PROPERTY) != null;
  }

  /** Watches {@code in} on a daemon thread: {@code reload} for each reload line, {@code stop} at its end. */
  public static Thread watch(InputStream in, Runnable reload, Runnable stop) {
    Thread watcher = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
        for (String line; (line = lines.readLine()) != null; ) {
          if (line.equals(Supervisor.RELOAD)) reload.run();
        }
      } catch (IOException e) {
        // as good as the end of input: the link is broken
      }
      LOG.warn("Herald's supervising process {} is gone: stopping",
          System.getProperty(MemoryOptions.SUPERVISOR_PROPERTY));
      stop.run();
    }, "herald-supervisor-link");
    watcher.setDaemon(true);
    watcher.start();
    return watcher;
  }
}
